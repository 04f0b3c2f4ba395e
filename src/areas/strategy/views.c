/* Building the views: shared values with their votes, the goal tree, the
 * checks panel and the Dilts pyramid. */
#include "areas/strategy/internal.h"
#include "areas/community/community.h"
#include "core/app.h"
#include "core/db.h"
#include "core/i18n.h"
#include "core/render.h"
#include "core/text.h"
#include "core/tmpl.h"

#include <stdlib.h>
#include <string.h>

const char *const STRATEGY_LEVELS[] = {
    "environment", "behaviour", "capabilities", "values", "identity", "mission", NULL};
const char *const STRATEGY_CANVAS_LEVELS[] = {"environment", "behaviour", "capabilities",
                                              "values",      "identity",  NULL};
const char *const STRATEGY_STATUSES[] = {"planned", "in_progress", "done", "dropped", NULL};
const char *const STRATEGY_TEXT_KINDS[] = {"vision", "mission", "manifesto", NULL};

const char *s_url(struct req *r, const char *suffix)
{
    return arena_printf(r->arena, "/c/%s/strategy%s", r->comm->slug, suffix);
}

int s_member(struct req *r)
{
    return r->acct && r->comm->role != ROLE_NONE;
}

int s_staff(struct req *r)
{
    return s_member(r) && (r->comm->role == ROLE_ORGANIZER || r->comm->role == ROLE_FACILITATOR);
}

int64_t s_path_id(struct req *r)
{
    int64_t id;
    if (str_to_i64(req_path(r, "id"), &id) != 0 || id <= 0) return 0;
    return id;
}

void s_busy(struct req *r)
{
    render_error(r, 503, "busy", "error.busy");
}

const char *s_plural(struct req *r, const char *key, int64_t n)
{
    json_t *ctx = json_pack("{sI}", "n", (json_int_t)n);
    struct buf b;
    buf_init(&b);
    tmpl_subst(&b, i18n_plural(r->app->cat, r->lang, key, n), ctx, 0);
    json_decref(ctx);
    const char *s = arena_strdup(r->arena, b.data ? b.data : "");
    buf_free(&b);
    return s;
}

enum { DAY_S = 86400 };

static const char *const STATE_NAMES[] = {"open", "adopted", "rejected"};

enum adoption_state s_vote_state(struct req *r, json_t *v, const struct strategy_settings *s,
                                 int64_t members)
{
    int64_t closes = json_integer_value(json_object_get(v, "closes_at"));
    struct adoption ad = {members,
                          json_integer_value(json_object_get(v, "yes")),
                          json_integer_value(json_object_get(v, "no")),
                          (int)s->majority_pct,
                          (int)s->quorum_pct,
                          closes <= now_s()};
    enum adoption_state st = adoption_decide(&ad);
    json_object_set_new(v, "state", json_string(STATE_NAMES[st]));
    json_object_set_new(
        v, "state_label",
        json_string(tr(r, arena_printf(r->arena, "strategy.value.%s", STATE_NAMES[st]))));
    json_object_set_new(v, "is_open", json_boolean(st == ADOPT_OPEN));
    json_object_set_new(v, "is_adopted", json_boolean(st == ADOPT_ADOPTED));
    json_object_set_new(v, "passing", json_boolean(adoption_passes(&ad)));
    json_object_set_new(v, "voters", json_integer(ad.yes + ad.no));
    if (st == ADOPT_OPEN) {
        int64_t left = closes - now_s();
        /* to the nearest unit: a vote opened for 7 days reads "7 days" for
         * its first half-day, not "6" a second after it opened */
        const char *unit = left >= DAY_S ? "days" : left >= 3600 ? "hours" : "minutes";
        int64_t size = left >= DAY_S ? DAY_S : left >= 3600 ? 3600 : 60;
        int64_t n = (left + size / 2) / size;
        if (n < 1) n = 1;
        json_object_set_new(
            v, "time_left",
            json_string(s_plural(r, arena_printf(r->arena, "strategy.vote.left_%s", unit), n)));
    }
    const char *early = json_string_value(json_object_get(v, "ended_early"));
    if (early && st != ADOPT_OPEN)
        json_object_set_new(
            v, "ended_label",
            json_string(tr(r, arena_printf(r->arena, "strategy.vote.ended_%s", early))));
    else
        json_object_del(v, "close_reason");
    json_object_del(v, "ended_early");
    json_object_del(v, "closes_at");
    json_t *mine = json_object_get(v, "my_vote");
    if (json_is_integer(mine))
        json_object_set_new(v, json_integer_value(mine) ? "voted_yes" : "voted_no", json_true());
    json_object_del(v, "my_vote");
    return st;
}

enum adoption_state s_vote_settled(struct req *r, struct dbc *c, json_t *tally)
{
    struct strategy_settings s;
    strategy_settings_get(c, r->comm->id, &s);
    struct adoption ad = {community_member_count(c, r->comm->id),
                          json_integer_value(json_object_get(tally, "yes")),
                          json_integer_value(json_object_get(tally, "no")),
                          (int)s.majority_pct,
                          (int)s.quorum_pct,
                          0};
    json_decref(tally);
    return adoption_settled(&ad);
}

json_t *s_values(struct req *r, json_t **adopted)
{
    struct dbc *c = req_db(r);
    struct strategy_settings s;
    strategy_settings_get(c, r->comm->id, &s);
    int64_t members = community_member_count(c, r->comm->id);
    json_t *rows = values_list(c, r->comm->id, s_member(r) ? r->acct->id : 0);
    if (!rows) rows = json_array();
    if (adopted) *adopted = json_array();
    size_t i;
    json_t *v;
    json_array_foreach(rows, i, v)
    {
        int fresh = json_integer_value(json_object_get(v, "yes")) +
                        json_integer_value(json_object_get(v, "no")) ==
                    0;
        int mine = json_is_true(json_object_get(v, "mine")) ||
                   json_integer_value(json_object_get(v, "mine")) == 1;
        json_object_del(v, "mine");
        enum adoption_state st = s_vote_state(r, v, &s, members);
        /* edited by its proposer or the staff while nobody has voted */
        if (s_member(r) && fresh && st == ADOPT_OPEN && (mine || s_staff(r)))
            json_object_set_new(v, "can_edit", json_true());
        if (!s_member(r)) {
            /* members' names and their shared personal values stay inside */
            json_object_del(v, "proposer");
            json_object_del(v, "roots");
        }
        if (st == ADOPT_ADOPTED && adopted) json_array_append(*adopted, v);
    }
    return rows;
}

void s_actions_decorate(struct req *r, json_t *actions)
{
    int member = s_member(r), staff = s_staff(r);
    size_t i;
    json_t *a;
    json_array_foreach(actions, i, a)
    {
        const char *st = json_string_value(json_object_get(a, "status"));
        json_object_set_new(a, "status_label",
                            json_string(tr(r, arena_printf(r->arena, "strategy.status.%s", st))));
        /* The report form (status and progress) is the owner's and the
         * staff's; it shows the stored status, so saving it unchanged
         * changes nothing. */
        int own = member &&
                  str_eq(json_string_value(json_object_get(a, "owner_handle")), r->acct->handle);
        if (own || staff) {
            json_t *opts = json_array();
            for (int k = 0; STRATEGY_STATUSES[k]; k++)
                json_array_append_new(opts,
                                      json_pack("{ss ss sb}", "key", STRATEGY_STATUSES[k], "label",
                                                tr(r, arena_printf(r->arena, "strategy.status.%s",
                                                                   STRATEGY_STATUSES[k])),
                                                "sel", str_eq(st, STRATEGY_STATUSES[k])));
            json_object_set_new(a, "statuses", opts);
            json_object_set_new(a, "can_report", json_true());
        }
        json_object_set_new(a, "overdue",
                            json_boolean(json_integer_value(json_object_get(a, "overdue"))));
        if (!member) {
            json_object_del(a, "owner");
            json_object_del(a, "owner_handle");
        }
    }
}

static void tree_walk(struct req *r, json_t *goals, json_t *actions, int64_t parent, int depth,
                      json_t *out)
{
    size_t i;
    json_t *g;
    if (depth > 16) return;
    json_array_foreach(goals, i, g)
    {
        if (json_integer_value(json_object_get(g, "parent_id")) != parent) continue;
        int64_t id = json_integer_value(json_object_get(g, "id"));
        json_t *item =
            json_pack("{sI sO si ss}", "id", (json_int_t)id, "title", json_object_get(g, "title"),
                      "depth", depth, "level_label",
                      tr(r, depth == 0 ? "strategy.goal.strategic" : "strategy.goal.tactical"));
        json_object_set_new(item, "strategic", json_boolean(depth == 0));
        json_object_set_new(item, "parent_id", json_integer((json_int_t)parent));
        json_t *mine = json_array();
        size_t j;
        json_t *a;
        json_array_foreach(actions, j, a)
        {
            if (json_integer_value(json_object_get(a, "goal_id")) == id) json_array_append(mine, a);
        }
        json_object_set_new(item, "actions", mine);
        json_array_append_new(out, item);
        tree_walk(r, goals, actions, id, depth + 1, out);
    }
}

json_t *s_goal_tree(struct req *r, json_t *goals, json_t *actions)
{
    json_t *out = json_array();
    tree_walk(r, goals, actions, 0, 0, out);
    return out;
}

json_t *s_checks(struct req *r)
{
    struct strategy_facts f;
    strategy_facts_load(req_db(r), r->arena, r->comm->id, now_s(), &f);
    struct check_result res[STRATEGY_CHECKS];
    enum check_status worst = strategy_checks(&f, res);
    static const char *const STATUS[] = {"ok", "warning", "problem"};
    json_t *list = json_array();
    for (int i = 0; i < STRATEGY_CHECKS; i++) {
        const char *subject = res[i].subject ? res[i].subject : "";
        if (!s_member(r) && str_eq(res[i].id, "one_person"))
            subject = tr(r, "strategy.check.someone"); /* names are for members */
        json_t *ctx = json_pack("{sI ss}", "n", (json_int_t)res[i].n, "subject", subject);
        struct buf ev;
        buf_init(&ev);
        /* the evidence agrees with its number ("4 открытых действия") */
        tmpl_subst(
            &ev,
            i18n_plural(r->app->cat, r->lang,
                        arena_printf(r->arena, "strategy.check.%s.%s", res[i].id, res[i].reason),
                        res[i].n),
            ctx, 0);
        json_decref(ctx);
        /* An empty community is not told "all is well": there is nothing
         * to check yet, and it says what to start with. */
        const char *advice_key = res[i].status != CHECK_OK
                                     ? arena_printf(r->arena, "strategy.check.%s.advice", res[i].id)
                                 : str_eq(res[i].reason, "nothing")
                                     ? "strategy.check.advice_nothing"
                                     : "strategy.check.advice_ok";
        json_array_append_new(
            list, json_pack("{ss ss ss ss ss ss}", "id", res[i].id, "title",
                            tr(r, arena_printf(r->arena, "strategy.check.%s", res[i].id)), "status",
                            STATUS[res[i].status], "status_label",
                            tr(r, arena_printf(r->arena, "strategy.check.status.%s",
                                               STATUS[res[i].status])),
                            "evidence", ev.data ? ev.data : "", "advice", tr(r, advice_key)));
        buf_free(&ev);
    }
    return json_pack("{ss so}", "worst", STATUS[worst], "checks", list);
}

/* The Dilts pyramid as a picture: its six bands, numbered, each with the
 * level's name. The entries themselves are in the list below the picture
 * (HTML, so they wrap, are read by screen readers and are not cut): drawn in
 * the SVG they were cut at 62 characters and, scaled down to a phone's width
 * with the rest of a 900-unit picture, about 4 px tall. The picture is 460
 * units wide and its smallest text 16 units, so its text stays at least 12 px
 * tall down to 345 px of width (a 390 px phone less the page's margins and a
 * scroll bar). */
const char *s_pyramid_svg(struct req *r)
{
    enum { BAND = 64, W = 460, APEX = 16, BASE = 96, CX = 100, LABEL_X = 216 };
    int levels = 6, h = levels * BAND;
    struct buf b;
    buf_init(&b);
    buf_printf(&b,
               "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" class=\"pyramid\" "
               "role=\"img\" aria-labelledby=\"pyr-title\"><title id=\"pyr-title\">",
               W, h + 2);
    html_escape(&b, tr(r, "strategy.dilts.title"));
    buf_puts(&b, "</title>");
    for (int band = 0; band < levels; band++) {
        const char *level = STRATEGY_LEVELS[levels - 1 - band]; /* mission on top */
        int y0 = band * BAND, y1 = y0 + BAND;
        int w0 = APEX + (BASE - APEX) * y0 / h, w1 = APEX + (BASE - APEX) * y1 / h;
        buf_printf(&b,
                   "<polygon class=\"band band-%d\" points=\"%d,%d %d,%d %d,%d %d,%d\" "
                   "fill=\"hsl(%d,45%%,%d%%)\" stroke=\"#fff\"/>",
                   band, CX - w0, y0, CX + w0, y0, CX + w1, y1, CX - w1, y1, 150 - band * 12,
                   78 - band * 4);
        buf_printf(&b, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"16\">%d</text>",
                   CX, y0 + BAND / 2 + 6, levels - band);
        buf_printf(&b,
                   "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ccc\"/>"
                   "<text x=\"%d\" y=\"%d\" font-size=\"18\" font-weight=\"bold\">",
                   CX + (w0 + w1) / 2 + 6, y0 + BAND / 2, LABEL_X - 6, y0 + BAND / 2, LABEL_X,
                   y0 + BAND / 2 + 6);
        html_escape(&b, tr(r, arena_printf(r->arena, "strategy.level.%s", level)));
        buf_puts(&b, "</text>");
    }
    buf_puts(&b, "</svg>");
    const char *s = arena_strdup(r->arena, b.data);
    buf_free(&b);
    return s;
}
