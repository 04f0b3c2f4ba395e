/*
 * The pure logic of sense-of-community waves: statistics, the k rule, the
 * answer slot and the trend chart.
 *
 * How anonymity holds, and where it stops.
 *
 * A member's answer is stored in soc_answers under a "slot": BLAKE2b-256
 * keyed with the wave's secret (32 random bytes) over the account id. The
 * fact that the member answered is stored in soc_participation as (wave,
 * account). The two tables share nothing but the wave id; neither has a
 * time column; both are WITHOUT ROWID tables ordered by their keys (the
 * account id, the keyed hash), so the physical order of rows does not tell
 * who answered when.
 *
 * While the wave is open, the server needs the secret to find a member's
 * slot so that the member can change the answer from any device. The
 * secret lives in the database only for that time: closing the wave (by
 * hand, or when its last day has passed) erases it, and without it the
 * slot of an account cannot be recomputed (a 256-bit key, not a guessable
 * value). No page, JSON view or export ever shows a slot, a secret or a
 * single answer: results are aggregates, shown only once the wave is closed
 * and only when at least k members answered (k >= 3). Showing them only
 * after closing also defeats "differencing": watching the aggregates change
 * after one person answered.
 *
 * Limits, said plainly: (1) while a wave is open, someone who can read the
 * database file itself (the server's operator) can recompute slots with
 * the stored secret and link answers to accounts; the web application never
 * does so for anyone but the member themselves. (2) SQLite may keep old
 * page images (write-ahead log, free pages) until a checkpoint or vacuum, so
 * a copy of the files taken during the wave may hold the same. (3) Someone
 * watching the database live, or the request log, at the moment a member
 * submits can see which row changed. (4) Comments are free text and may
 * identify their author by what they say; they are shown only with the
 * results, in random order. (5) With k answers and a community of k, the
 * distribution is everybody's: k is a floor, not a proof.
 */
#include "areas/soc/soc.h"
#include "core/auth.h"
#include "core/text.h"

#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

const char *const soc_factors[] = {"membership", "influence", "integration", "connection", NULL};

void soc_stats_from(struct soc_stats *s, const int64_t dist[SOC_SCALE])
{
    memset(s, 0, sizeof *s);
    int64_t sum = 0;
    for (int i = 0; i < SOC_SCALE; i++) {
        int64_t d = dist[i] > 0 ? dist[i] : 0;
        s->dist[i] = d;
        s->n += d;
        sum += d * (i + 1);
    }
    if (s->n == 0) return;
    s->mean = (double)sum / (double)s->n;
    /* The median: the middle value, or the mean of the two middle ones. */
    int64_t lo = (s->n - 1) / 2, hi = s->n / 2, seen = 0;
    int vlo = 0, vhi = 0;
    for (int i = 0; i < SOC_SCALE; i++) {
        if (!vlo && seen + s->dist[i] > lo) vlo = i + 1;
        if (!vhi && seen + s->dist[i] > hi) vhi = i + 1;
        seen += s->dist[i];
    }
    s->median = (vlo + vhi) / 2.0;
}

int soc_k_valid(int64_t k)
{
    return k >= SOC_K_MIN && k <= SOC_K_MAX;
}

int64_t soc_needed(int64_t answers, int64_t k)
{
    if (k < SOC_K_MIN) k = SOC_K_MIN;
    return answers >= k ? 0 : k - (answers > 0 ? answers : 0);
}

int soc_results_visible(enum soc_state st, int64_t answers, int64_t k)
{
    return st == SOC_CLOSED && soc_needed(answers, k) == 0;
}

enum soc_state soc_state_of(int64_t opens_on, int64_t closes_on, int closed, int64_t today)
{
    if (closed || today > closes_on) return SOC_CLOSED;
    return today < opens_on ? SOC_UPCOMING : SOC_OPEN;
}

int soc_weakest(const struct soc_stats s[SOC_FACTORS])
{
    int best = -1;
    for (int f = 0; f < SOC_FACTORS; f++)
        if (s[f].n > 0 && (best < 0 || s[f].mean < s[best].mean)) best = f;
    return best;
}

int soc_rate_pct(int64_t answers, int64_t members)
{
    if (members <= 0) return 0;
    int64_t p = (answers * 100 + members / 2) / members;
    return (int)(p > 100 ? 100 : p);
}

int soc_slot(const char *secret_hex, int64_t account_id, char *out)
{
    unsigned char key[32], h[32];
    size_t klen = 0;
    if (!secret_hex || strlen(secret_hex) != SOC_SECRET_HEX ||
        sodium_hex2bin(key, sizeof key, secret_hex, SOC_SECRET_HEX, NULL, &klen, NULL) != 0 ||
        klen != sizeof key)
        return -1;
    char msg[40];
    int n = snprintf(msg, sizeof msg, "soc:%lld", (long long)account_id);
    crypto_generichash(h, sizeof h, (const unsigned char *)msg, (size_t)n, key, sizeof key);
    sodium_memzero(key, sizeof key);
    sodium_bin2hex(out, SOC_SECRET_HEX + 1, h, sizeof h);
    return 0;
}

void soc_secret_new(char *out)
{
    unsigned char key[32];
    auth_random(key, sizeof key);
    sodium_bin2hex(out, SOC_SECRET_HEX + 1, key, sizeof key);
    sodium_memzero(key, sizeof key);
}

static const char *const COLORS[SOC_FACTORS] = {"#1b6ca8", "#c0392b", "#2e8b57", "#8e44ad"};

void soc_trend_svg(struct buf *b, int n, const double (*means)[SOC_FACTORS],
                   const char *const *labels, const char *const names[SOC_FACTORS],
                   const char *title)
{
    const int W = 560, H = 260, L = 40, R = 150, T = 20, B = 40;
    const int pw = W - L - R, ph = H - T - B;
    buf_printf(b,
               "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"soc-trend\" viewBox=\"0 0 %d %d\""
               " role=\"img\" aria-label=\"",
               W, H);
    html_escape(b, title);
    buf_puts(b, "\"><title>");
    html_escape(b, title);
    buf_puts(b, "</title>");
    for (int v = 1; v <= SOC_SCALE; v += 3) {
        double y = T + ph - (v - 1) * (double)ph / (SOC_SCALE - 1);
        buf_printf(b,
                   "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                   "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%d</text>",
                   L, y, L + pw, y, L - 6, y + 4, v);
    }
    for (int w = 0; w < n; w++) {
        double x = n > 1 ? L + w * (double)pw / (n - 1) : L + pw / 2.0;
        buf_printf(b, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">", x,
                   H - B + 18);
        html_escape(b, labels[w] ? labels[w] : "");
        buf_puts(b, "</text>");
    }
    for (int f = 0; f < SOC_FACTORS; f++) {
        if (n > 1) {
            buf_printf(b, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"",
                       COLORS[f]);
            for (int w = 0; w < n; w++) {
                double x = L + w * (double)pw / (n - 1);
                double y = T + ph - (means[w][f] - 1) * (double)ph / (SOC_SCALE - 1);
                buf_printf(b, "%s%.1f,%.1f", w ? " " : "", x, y);
            }
            buf_puts(b, "\"/>");
        }
        for (int w = 0; w < n; w++) {
            double x = n > 1 ? L + w * (double)pw / (n - 1) : L + pw / 2.0;
            double y = T + ph - (means[w][f] - 1) * (double)ph / (SOC_SCALE - 1);
            buf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>", x, y, COLORS[f]);
        }
        int ly = T + 14 + f * 20;
        buf_printf(b,
                   "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                   "<text x=\"%d\" y=\"%d\" font-size=\"12\">",
                   L + pw + 14, ly - 10, COLORS[f], L + pw + 32, ly);
        html_escape(b, names[f]);
        buf_puts(b, "</text>");
    }
    buf_puts(b, "</svg>");
}
