/* webdriver.h - a minimal W3C WebDriver client for Hramada's browser tests.
 *
 * Drives headless Chromium through chromedriver, which wd_open starts as a
 * child process on a free loopback port.  HTTP via libcurl, JSON via jansson.
 *
 * Environment overrides:
 *   HRAMADA_CHROMIUM      browser binary      (default /usr/bin/chromium)
 *   HRAMADA_CHROMEDRIVER  chromedriver binary (default /usr/bin/chromedriver)
 *
 * Conventions: functions returning int give 0 on success and -1 on failure;
 * functions returning char * give a malloc'd string the caller must free(),
 * or NULL on failure.  Every failure is reported on stderr, together with the
 * WebDriver error code and message when chromedriver sent one.  A struct wd
 * is not thread-safe; use one per thread.
 */
#ifndef HRAMADA_TESTS_BROWSER_WEBDRIVER_H
#define HRAMADA_TESTS_BROWSER_WEBDRIVER_H

struct wd; /* one browser session; owned by caller, free with wd_close */

/* Starts chromedriver, waits (at most 20 s) until it is ready and creates a
 * headless Chromium session with a fresh temporary profile.  With
 * javascript_enabled == 0, page scripts are blocked by a Chrome content
 * setting (WebDriver's own commands keep working).  Returns NULL on failure.
 * The result is owned by the caller and must be released with wd_close. */
struct wd *wd_open(int javascript_enabled);

/* Deletes the session, stops and reaps chromedriver (and anything it left
 * behind in its process group), removes the profile directory and frees w.
 * Accepts NULL. */
void wd_close(struct wd *w);

/* Navigates to url and waits for the page load (at most 30 s). */
int wd_get(struct wd *w, const char *url);

/* Page source, current URL and document title; malloc'd, caller frees. */
char *wd_source(struct wd *w);
char *wd_url(struct wd *w);
char *wd_title(struct wd *w);

/* Finds the first element matching the CSS selector, clears it and types
 * text into it. */
int wd_type(struct wd *w, const char *css, const char *text);

/* Finds the first element matching the CSS selector and clicks it.  If the
 * click starts a navigation (link, submit button), use wd_click_nav. */
int wd_click(struct wd *w, const char *css);

/* Like wd_click, for a click that loads a new page (a link, a form's submit
 * button): waits until the new document has replaced the current one (at
 * most 30 s); the next command then also waits for it to finish loading.
 * Use this rather than wd_click whenever a navigation is expected:
 * chromedriver's click does not reliably wait for a navigation that starts
 * after it returns, e.g. a form submission.  Fails if no new page comes,
 * e.g. when the response is a 204 or a download. */
int wd_click_nav(struct wd *w, const char *css);

/* Chooses <option value="value"> of the <select> matched by css, by clicking
 * the first element matching  css + " option[value='...']".  css must be a
 * single selector (not a comma-separated list). */
int wd_select(struct wd *w, const char *css, const char *value);

/* Visible (rendered) text of the first match; malloc'd, caller frees.
 * NULL, without a message, if nothing matches; NULL with a message on error. */
char *wd_text(struct wd *w, const char *css);

/* Number of elements matching the CSS selector; -1 on error. */
int wd_count(struct wd *w, const char *css);

/* Saves a screenshot of the viewport as a PNG file at png_path. */
int wd_screenshot(struct wd *w, const char *png_path);

/* Resizes the browser window (outer size, in CSS pixels). */
int wd_set_window(struct wd *w, int width, int height);

/* Resizes the window so that the page's viewport (window.innerWidth x
 * innerHeight) is width x height CSS pixels, whatever the browser's frame
 * takes; 0 when the viewport has that size. */
int wd_set_viewport(struct wd *w, int width, int height);

/* Runs script (the body of a function, e.g. "return document.title;") in the
 * current page (WebDriver "Execute Script"; works with page scripts blocked).
 * Returns its result: a string as it is, anything else as JSON text
 * ("null" for undefined); malloc'd, caller frees.  NULL on error, with a
 * message. */
char *wd_exec(struct wd *w, const char *script);

/* Like wd_exec for a script that finishes later: it calls its last argument,
 * arguments[arguments.length - 1], with the result (WebDriver "Execute Async
 * Script"; at most 30 s). */
char *wd_exec_async(struct wd *w, const char *script);

/* Additional helpers. */

/* Value of the HTML attribute `name` of the first match, as written in the
 * markup (WebDriver "Get Element Attribute"; for an <input> that is the
 * initial value, not what was typed); malloc'd, caller frees.  NULL, without
 * a message, if nothing matches or the attribute is absent; NULL with a
 * message on error. */
char *wd_attr(struct wd *w, const char *css, const char *name);

/* Value of the DOM property `name` of the first match, if it is a string
 * (WebDriver "Get Element Property"; e.g. "value" of an <input> or <select>
 * as it is now); malloc'd, caller frees.  NULL, without a message, if nothing
 * matches or the property is not a string; NULL with a message on error. */
char *wd_prop(struct wd *w, const char *css, const char *name);

#endif
