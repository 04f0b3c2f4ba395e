/*
 * The pure logic of sense-of-community waves: statistics, the k rule and
 * the trend chart.
 *
 * How anonymity holds: a wave's answers go into its ballot box
 * (core/ballot.h), which keeps no row that ties a member to an answer, in
 * the database file or its WAL: ratings are only counts, comments are
 * mixed at closing, the roll of those who may answer is fixed when the
 * wave opens and says who answered but not when. An answer, once cast,
 * cannot be changed or read back, even by its author: a server that could
 * find a member's answer to show or replace it could find it for anyone
 * who holds the files. Results are aggregates of a closed box with at
 * least k answers, k fixed when the wave opened.
 *
 * Limits, said plainly: (1) a server under an attacker's control while a
 * wave is open sees each answer arrive with its author's session;
 * (2) comments are free text and may identify their author by what they
 * say; (3) with k answers from a community of k, the distribution is
 * everybody's: k is a floor, not a proof; (4) an organizer who controls
 * most of the eligible members can subtract their own answers.
 */
#include "areas/soc/soc.h"
#include "core/text.h"

#include <math.h>
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

enum soc_state soc_state_of(const struct ballot_info *b, int64_t now)
{
    if (ballot_is_over(b, now)) return SOC_CLOSED;
    return now < b->opens_at ? SOC_UPCOMING : SOC_OPEN;
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

static const char *const COLORS[SOC_FACTORS] = {"#1b6ca8", "#c0392b", "#2e8b57", "#8e44ad"};

/* The picture is 440 units wide, its text 16 units and the legend under the
 * plot, one factor a line: scaled down to a phone (345 px of width: a 390 px
 * screen less the page's margins and a scroll bar) the text stays at least
 * 12 px tall and the longest factor's name fits (beside the plot, at 11 units,
 * it was about 5 px and cut off). */
void soc_trend_svg(struct buf *b, int n, const double (*means)[SOC_FACTORS],
                   const char *const *labels, const char *const names[SOC_FACTORS],
                   const char *title)
{
    const int W = 440, L = 36, R = 16, T = 14, PH = 190, FONT = 16, LINE = 24;
    const int pw = W - L - R, ph = PH, legend_y = T + ph + 34;
    const int H = legend_y + SOC_FACTORS * LINE + 4;
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
                   "<text x=\"%d\" y=\"%.1f\" font-size=\"%d\" text-anchor=\"end\">%d</text>",
                   L, y, L + pw, y, L - 6, y + 5, FONT, v);
    }
    for (int w = 0; w < n; w++) {
        double x = n > 1 ? L + w * (double)pw / (n - 1) : L + pw / 2.0;
        /* the first and last labels kept inside the picture */
        const char *anchor = n == 1 ? "middle" : w == 0 ? "start" : w == n - 1 ? "end" : "middle";
        buf_printf(b, "<text x=\"%.1f\" y=\"%d\" font-size=\"%d\" text-anchor=\"%s\">", x,
                   T + ph + 22, FONT, anchor);
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
        int ly = legend_y + f * LINE + 14;
        buf_printf(b,
                   "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"14\" fill=\"%s\"/>"
                   "<text x=\"%d\" y=\"%d\" font-size=\"%d\">",
                   L, ly - 12, COLORS[f], L + 22, ly, FONT);
        html_escape(b, names[f]);
        buf_puts(b, "</text>");
    }
    buf_puts(b, "</svg>");
}
