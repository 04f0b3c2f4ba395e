/*
 * Photos, re-encoded on upload (libvips): a JPEG, PNG or WebP becomes a
 * new JPEG of at most IMAGE_SIDE pixels a side with no metadata at all, so
 * that nothing the camera or the phone wrote into the file (the place, the
 * time, the device, its owner's name, a thumbnail of the uncropped
 * picture) reaches anyone who sees the photo. Only the pixels pass.
 */
#ifndef HR_IMAGE_H
#define HR_IMAGE_H

#include <stddef.h>

enum {
    IMAGE_SIDE = 1600,           /* the longest side of what is kept */
    IMAGE_MAX_SIDE = 12000,      /* a side of what is accepted */
    IMAGE_MAX_PIXELS = 50000000, /* what is accepted in all: no decompression bomb */
};

/* A re-encoded photo: JPEG bytes, malloc'd, the caller's to free(). */
struct image {
    unsigned char *data;
    size_t len;
    int width, height;
};

/* Once at start-up, before the threads: libvips, with every loader but
 * JPEG's, PNG's and WebP's blocked (the rest parse formats nobody sends
 * as a photo, and each parser is a way in). 0, or -1. */
int image_init(const char *argv0);
void image_shutdown(void);

/* The photo of bytes in (n): 0 and *out filled, or the catalog key of why
 * not ("image.error.type": not a JPEG, PNG or WebP by its bytes;
 * "image.error.size": too large a picture; "image.error.broken": it does
 * not decode). Thread-safe. */
const char *image_reencode(const unsigned char *in, size_t n, struct image *out);

#endif
