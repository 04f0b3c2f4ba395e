/*
 * The helpers the browser suites used to copy, on top of the WebDriver
 * client: open a path of the test server, look for a text in the page,
 * sign in and out through the forms as a person would. They fail the
 * running cmocka test on what they assert.
 */
#ifndef HR_BROWSE_H
#define HR_BROWSE_H

#include "browser/webdriver.h"
#include "lib/testsrv.h"

/* Opens s's path ("/login") in the browser. */
void browse_go(struct wd *w, const struct srv *s, const char *path);
/* 1 if the page's source contains needle. */
int browse_has(struct wd *w, const char *needle);
/* Signs in as the demo account handle (password demo-demo) through the
 * sign-in form; what the page says afterwards is for the caller to check. */
void browse_sign_in(struct wd *w, const struct srv *s, const char *handle);
/* Signs out with the header's button: of the page shown when s is NULL,
 * else of s's front page. */
void browse_sign_out(struct wd *w, const struct srv *s);

#endif
