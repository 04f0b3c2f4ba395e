/* The translation side: the Accept-Language header (i18n_from_accept,
 * untrusted, on every request) and the .po catalog parser. The catalogs are
 * compiled into the binary, so po_parse is not reachable from a client; it
 * is fuzzed anyway, by including i18n.c, because a translator's typo
 * should give a message, never a crash. The first byte picks the target. */
#include "core/i18n.c"

#include <stdlib.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    log_set_level(LOG_ERROR + 1); /* parse errors are expected here */
    return 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    if (size < 1) return 0;
    char *in = malloc(size);
    memcpy(in, data + 1, size - 1);
    in[size - 1] = 0;
    if (data[0] & 1) {
        const char *l = i18n_from_accept(in);
        if (l && !i18n_has_lang(l)) abort();
    } else {
        struct table t = {0};
        po_parse(&t, "fuzz.po", in);
        for (size_t i = 0; i < t.cap; i++) {
            free(t.e[i].key);
            free(t.e[i].val);
        }
        free(t.e);
    }
    free(in);
    return 0;
}
