/* The initiative area's rules without a server: the states' sets (the C
 * functions the pages ask and the SQL the writes run must agree), the
 * threshold, the words a search compares, and the model against a real
 * SQLite file: the threshold's move with the support that reaches it, a
 * merge that counts a supporter of both once, and a community sealed in
 * place by the area's hook (texts sealed, words hashed, a search still
 * finding them with the key and nothing without it). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "areas/community/community.h"
#include "areas/initiative/funds.h"
#include "areas/initiative/initiative.h"
#include "areas/strategy/strategy.h"
#include "core/db.h"
#include "core/migrate.h"
#include "core/seal.h"
#include "core/sealtext.h"
#include "core/util.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void the_states_sets_agree_with_the_sql(void **state)
{
    (void)state;
    static const struct {
        enum initiative_act act;
        const char *sql;
    } sets[] = {
        {INITIATIVE_EDIT, "SELECT ?1 IN " INITIATIVE_SQL_EDITABLE},
        {INITIATIVE_SUPPORT, "SELECT ?1 IN " INITIATIVE_SQL_SUPPORTABLE},
        {INITIATIVE_DECIDE, "SELECT ?1 IN " INITIATIVE_SQL_DECIDABLE},
        {INITIATIVE_MERGE_TARGET, "SELECT ?1 IN " INITIATIVE_SQL_MERGE_TARGET},
        {INITIATIVE_COMMENT, "SELECT ?1 IN " INITIATIVE_SQL_COMMENTABLE},
    };
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open(":memory:", &h), SQLITE_OK);
    for (size_t k = 0; k < sizeof sets / sizeof sets[0]; k++)
        for (int i = 0; initiative_states[i]; i++) {
            sqlite3_stmt *st = NULL;
            assert_int_equal(sqlite3_prepare_v2(h, sets[k].sql, -1, &st, NULL), SQLITE_OK);
            sqlite3_bind_text(st, 1, initiative_states[i], -1, SQLITE_STATIC);
            assert_int_equal(sqlite3_step(st), SQLITE_ROW);
            int in_sql = sqlite3_column_int(st, 0);
            sqlite3_finalize(st);
            if (in_sql != initiative_allows(initiative_states[i], sets[k].act))
                fail_msg("act %d, state %s: SQL %d, C %d", (int)sets[k].act, initiative_states[i],
                         in_sql, initiative_allows(initiative_states[i], sets[k].act));
        }
    sqlite3_close(h);
    /* what the issue says, spelled out */
    assert_true(initiative_allows("idea", INITIATIVE_EDIT));
    assert_false(initiative_allows("queued", INITIATIVE_EDIT));
    assert_false(initiative_allows("merged", INITIATIVE_SUPPORT));
    assert_false(initiative_allows("declined", INITIATIVE_SUPPORT));
    assert_true(initiative_allows("queued", INITIATIVE_DECIDE));
    assert_false(initiative_allows("work", INITIATIVE_DECIDE));
    assert_false(initiative_allows("merged", INITIATIVE_MERGE_TARGET));
    assert_false(initiative_allows("merged", INITIATIVE_COMMENT));
    assert_false(initiative_allows(NULL, INITIATIVE_EDIT));
    assert_false(initiative_allows("bogus", INITIATIVE_SUPPORT));
}

static void the_threshold_moves_only_ideas(void **state)
{
    (void)state;
    assert_true(initiative_reaches("idea", 5, 5));
    assert_true(initiative_reaches("idea", 6, 5));
    assert_false(initiative_reaches("idea", 4, 5));
    assert_false(initiative_reaches("queued", 9, 5));
    assert_false(initiative_reaches("work", 9, 5));
    assert_false(initiative_reaches("idea", 9, 0));
}

static int has_word(const char *list, const char *w)
{
    size_t n = strlen(w);
    for (const char *p = list; *p;) {
        size_t len = strcspn(p, " ");
        if (len == n && strncmp(p, w, n) == 0) return 1;
        p += len;
        while (*p == ' ')
            p++;
    }
    return 0;
}

static void search_words_are_stems_once_each(void **state)
{
    (void)state;
    char *s = initiative_stems("Шахматы во ДВОРЕ, шахмат! И ещё: двор, дворе; Ёлка", 100);
    assert_true(has_word(s, "шахмат"));
    assert_true(has_word(s, "двор"));
    assert_true(has_word(s, "елк")); /* ё folded to е, then stemmed */
    assert_false(has_word(s, "и"));  /* one letter says nothing */
    /* once each */
    int n = 0;
    for (const char *p = strstr(s, "шахмат"); p; p = strstr(p + 1, "шахмат"))
        n++;
    assert_int_equal(n, 1);
    free(s);
    s = initiative_stems("", 10);
    assert_string_equal(s, "");
    free(s);
    s = initiative_stems(NULL, 10);
    assert_string_equal(s, "");
    free(s);
    /* at most max */
    s = initiative_stems("один два три четыре пять шесть", 2);
    assert_int_equal((int)(strchr(s, ' ') != NULL), 1);
    assert_null(strchr(strchr(s, ' ') + 1, ' '));
    free(s);
    /* a run of letters longer than a word is no word */
    char longw[400];
    memset(longw, 'a', sizeof longw - 1);
    longw[sizeof longw - 1] = 0;
    s = initiative_stems(longw, 10);
    assert_string_equal(s, "");
    free(s);
}

/* ---- the model against a real file ---- */

static struct db *g_db;
static char g_dir[64];

static int64_t account(struct dbc *w, const char *handle)
{
    static const char sql[] = "INSERT INTO accounts(handle, display_name, password_hash,"
                              " created_at) VALUES (?, ?, 'x', 0)";
    assert_int_equal(db_exec(w, sql, "tt", handle, handle), 1);
    return db_last_id(w);
}

static int setup(void **state)
{
    (void)state;
    snprintf(g_dir, sizeof g_dir, "/tmp/hr-ini-XXXXXX");
    assert_non_null(mkdtemp(g_dir));
    char path[128];
    snprintf(path, sizeof path, "%s/i.db", g_dir);
    g_db = db_open(path, 2, 0);
    assert_non_null(g_db);
    assert_true(migrate_apply(g_db) >= 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    db_close(g_db);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", g_dir);
    return system(cmd) == 0 ? 0 : -1;
}

struct town {
    int64_t cid, m[4];
};

static void town_new(struct dbc *w, const char *slug, struct town *t)
{
    char h[64];
    snprintf(h, sizeof h, "%s-0", slug);
    int64_t owner = account(w, h);
    struct community_new c = {
        .slug = slug, .name = slug, .description = "", .visibility = VIS_CLOSED};
    t->cid = community_create(w, &c, owner);
    assert_true(t->cid > 0);
    t->m[0] = member_of_account(w, t->cid, owner);
    for (int i = 1; i < 4; i++) {
        snprintf(h, sizeof h, "%s-%d", slug, i);
        t->m[i] = member_join(w, t->cid, account(w, h), "member");
        assert_true(t->m[i] > 0);
    }
}

static int64_t idea(struct dbc *w, const struct town *t, int who, const char *title)
{
    struct initiative_new n = {title, "Проблема у подъезда", "Предложение соседей", "other", "", 0,
                               0};
    int64_t id = 0;
    assert_int_equal(initiative_create(w, t->cid, t->m[who], &n, &id), WR_OK);
    return id;
}

static const char *state_of(struct dbc *w, struct arena *a, const struct town *t, int64_t id)
{
    struct initiative x;
    assert_int_equal(initiative_find(w, a, t->cid, id, &x), 0);
    return x.state;
}

static void the_support_that_reaches_it_queues_it(void **state)
{
    (void)state;
    struct dbc *w = db_write_begin(g_db);
    struct town t;
    town_new(w, "porog", &t);
    struct arena *a = arena_new();
    assert_int_equal(initiative_threshold_set(w, t.cid, 2), WR_OK);
    assert_int_equal(initiative_threshold(w, t.cid), 2);
    int64_t id = idea(w, &t, 0, "Фонарь");
    assert_int_equal(initiative_support(w, t.cid, id, t.m[1]), WR_OK);
    assert_string_equal(state_of(w, a, &t, id), "idea");
    assert_int_equal(initiative_support(w, t.cid, id, t.m[1]), WR_CONFLICT);
    assert_string_equal(wr_reason(w), "initiative.error.supported_already");
    assert_int_equal(initiative_support(w, t.cid, id, t.m[2]), WR_OK);
    assert_string_equal(state_of(w, a, &t, id), "queued");
    assert_int_equal(db_int(w, -1,
                            "SELECT count(*) FROM initiative_history WHERE initiative_id = ?"
                            " AND automatic = 1 AND to_state = 'queued'",
                            "i", id),
                     1);
    /* the default threshold is no row at all */
    assert_int_equal(initiative_threshold_set(w, t.cid, INITIATIVE_THRESHOLD_DEFAULT), WR_OK);
    assert_int_equal(db_int(w, -1,
                            "SELECT count(*) FROM initiative_settings WHERE community_id = ?", "i",
                            t.cid),
                     0);
    assert_int_equal(initiative_threshold_set(w, t.cid, 0), WR_INVALID);
    /* a merge carries supporters over, each once, and may queue the target */
    assert_int_equal(initiative_threshold_set(w, t.cid, 3), WR_OK);
    int64_t target = idea(w, &t, 1, "Скамейка"), dup = idea(w, &t, 2, "Лавочка");
    assert_int_equal(initiative_support(w, t.cid, target, t.m[3]), WR_OK);
    assert_int_equal(initiative_support(w, t.cid, dup, t.m[3]), WR_OK);
    assert_int_equal(initiative_support(w, t.cid, dup, t.m[0]), WR_OK);
    assert_int_equal(initiative_merge(w, t.cid, dup, dup, t.m[0], ""), WR_CONFLICT);
    assert_int_equal(initiative_merge(w, t.cid, dup, target, t.m[0], "дубль"), WR_OK);
    struct initiative x;
    assert_int_equal(initiative_find(w, a, t.cid, target, &x), 0);
    assert_int_equal(x.supports, 2);
    assert_string_equal(x.state, "idea");
    assert_int_equal(initiative_find(w, a, t.cid, dup, &x), 0);
    assert_string_equal(x.state, "merged");
    assert_int_equal(x.merged_into, target);
    /* nothing merges into a duplicate, and a duplicate is not decided again */
    int64_t third = idea(w, &t, 3, "Третья");
    assert_int_equal(initiative_merge(w, t.cid, third, dup, t.m[0], ""), WR_CONFLICT);
    assert_string_equal(wr_reason(w), "initiative.error.target_closed");
    assert_int_equal(initiative_accept(w, t.cid, dup, t.m[0]), WR_CONFLICT);
    assert_int_equal(initiative_accept(w, t.cid, 999999, t.m[0]), WR_NOT_FOUND);
    /* another community's initiative is not found here */
    struct town u;
    town_new(w, "chuzhoj", &u);
    assert_int_equal(initiative_support(w, u.cid, target, u.m[1]), WR_NOT_FOUND);
    assert_int_equal(initiative_merge(w, t.cid, third, idea(w, &u, 1, "Чужая"), t.m[0], ""),
                     WR_CONFLICT);
    arena_free(a);
    assert_int_equal(db_write_end(g_db, w, 0), 0);
}

static char *stored(struct dbc *w, const char *sql, int64_t id)
{
    char *s = db_text(w, sql, "i", id);
    assert_non_null(s);
    return s;
}

static void a_community_sealed_in_place_keeps_its_search(void **state)
{
    (void)state;
    struct dbc *w = db_write_begin(g_db);
    struct town t;
    town_new(w, "tiho", &t);
    int64_t id = idea(w, &t, 1, "Листовки про вырубку сквера");
    assert_int_equal(
        initiative_comment_add(w, t.cid, id, t.m[2], "Встречаемся у старого дуба", NULL), WR_OK);
    assert_int_equal(initiative_decline(w, t.cid, idea(w, &t, 2, "Вторая"), t.m[0], "Опасно"),
                     WR_OK);
    assert_int_equal(initiative_accept(w, t.cid, id, t.m[0]), WR_OK);
    assert_int_equal(db_exec(w,
                             "INSERT INTO initiative_work(initiative_id, community_id, analysis)"
                             " VALUES(?, ?, 'Вырубка без слушаний')",
                             "ii", id, t.cid),
                     1);
    assert_int_equal(db_exec(w,
                             "INSERT INTO initiative_tasks(initiative_id, community_id, title,"
                             " created_at) VALUES(?, ?, 'Напечатать листовки', 0)",
                             "ii", id, t.cid),
                     1);
    char *s = stored(w, "SELECT title FROM initiatives WHERE id = ?", id);
    assert_string_equal(s, "Листовки про вырубку сквера");
    free(s);
    assert_true(db_int(w, 0, "SELECT count(*) FROM initiative_words WHERE word = 'сквер'", "") > 0);
    /* the community gets its key: the hook seals what it had */
    struct seal_data_key dk;
    seal_data_key_new(&dk);
    assert_int_equal(
        db_exec(w, "INSERT INTO community_seals(community_id, key_check) VALUES(?, x'00')", "i",
                t.cid),
        1);
    assert_int_equal(sealtext_hold(dbc_keys(w), t.cid, &dk), 0);
    assert_int_equal(initiative_seal_texts(w, t.cid), 0);
    assert_int_equal(initiative_seal_texts(w, t.cid), 0); /* twice: the same */
    s = stored(w, "SELECT title FROM initiatives WHERE id = ?", id);
    assert_true(sealtext_is_sealed(s));
    free(s);
    s = stored(w, "SELECT body FROM initiative_comments WHERE initiative_id = ?", id);
    assert_true(sealtext_is_sealed(s));
    free(s);
    s = stored(w, "SELECT analysis FROM initiative_work WHERE initiative_id = ?", id);
    assert_true(sealtext_is_sealed(s));
    free(s);
    s = stored(w, "SELECT title FROM initiative_tasks WHERE initiative_id = ?", id);
    assert_true(sealtext_is_sealed(s));
    free(s);
    assert_int_equal(db_int(w, -1,
                            "SELECT count(*) FROM initiative_work WHERE initiative_id = ?"
                            " AND goal = ''",
                            "i", id),
                     1);
    assert_int_equal(db_int(w, -1,
                            "SELECT count(*) FROM initiative_history WHERE community_id = ?"
                            " AND reason <> '' AND substr(reason, 1, 1) <> char(30)",
                            "i", t.cid),
                     0);
    assert_int_equal(db_int(w, -1,
                            "SELECT count(*) FROM initiative_words WHERE community_id = ?"
                            " AND (length(word) <> 16 OR word GLOB '*[^0-9a-f]*')",
                            "i", t.cid),
                     0);
    /* a search still finds it by a word's other form, with the key */
    char *words = NULL;
    int n = initiative_query_words(w, t.cid, "скверы", &words);
    assert_int_equal(n, 1);
    struct initiative_filter f = {.words = words, .nwords = n, .limit = 10};
    assert_int_equal(initiative_count(w, t.cid, &f), 1);
    free(words);
    /* written sealed from then on */
    int64_t later = idea(w, &t, 3, "Новая тайная идея");
    s = stored(w, "SELECT title FROM initiatives WHERE id = ?", later);
    assert_true(sealtext_is_sealed(s));
    free(s);
    /* without the key: nothing opens, no search, no write */
    sealtext_release(dbc_keys(w), t.cid);
    assert_int_equal(initiative_query_words(w, t.cid, "скверы", &words), -1);
    assert_null(words);
    struct arena *a = arena_new();
    struct initiative x;
    assert_int_equal(initiative_find(w, a, t.cid, id, &x), 0);
    assert_null(x.title);
    struct initiative_new nn = {"В открытую?", "п", "п", "other", "", 0, 0};
    int64_t none = 0;
    assert_int_equal(initiative_create(w, t.cid, t.m[1], &nn, &none), WR_CONFLICT);
    arena_free(a);
    seal_wipe(&dk, sizeof dk);
    assert_int_equal(db_write_end(g_db, w, 0), 0);
}

static void the_gates_list_what_is_missing(void **state)
{
    (void)state;
    struct initiative_gate_facts f = {0};
    struct initiative_gate_item it[INITIATIVE_GATE_ITEMS];
    /* analysis: the problem, and evidence or a stakeholder */
    int n = initiative_gate(1, &f, it);
    assert_int_equal(n, 2);
    assert_int_equal(initiative_gate_missing(it, n), 2);
    f.analysis = 1;
    f.stakeholders = 1;
    assert_int_equal(initiative_gate_missing(it, initiative_gate(1, &f, it)), 0);
    f.stakeholders = 0;
    f.evidence = 2;
    assert_int_equal(initiative_gate_missing(it, initiative_gate(1, &f, it)), 0);
    /* design: a goal, a task with owner and date, a budget (zero confirmed) */
    n = initiative_gate(2, &f, it);
    assert_int_equal(initiative_gate_missing(it, n), 3);
    assert_string_equal(it[0].key, "goal");
    f.goal = 1;
    f.tasks_planned = 1;
    assert_int_equal(initiative_gate_missing(it, initiative_gate(2, &f, it)), 1);
    assert_string_equal(it[2].key, "budget");
    f.budget_confirmed = 1;
    assert_int_equal(initiative_gate_missing(it, initiative_gate(2, &f, it)), 0);
    f.budget_confirmed = 0;
    f.budget_lines = 1;
    assert_int_equal(initiative_gate_missing(it, initiative_gate(2, &f, it)), 0);
    /* implementation: every task done, a report */
    f.tasks = 3;
    f.tasks_done = 2;
    assert_int_equal(initiative_gate_missing(it, initiative_gate(3, &f, it)), 2);
    f.tasks_done = 3;
    f.reports = 1;
    assert_int_equal(initiative_gate_missing(it, initiative_gate(3, &f, it)), 0);
    /* evaluation: what was done and learned, every indicator measured */
    f.indicators = 2;
    f.indicators_after = 1;
    assert_int_equal(initiative_gate_missing(it, initiative_gate(4, &f, it)), 3);
    f.done_text = f.learned = 1;
    f.indicators_after = 2;
    assert_int_equal(initiative_gate_missing(it, initiative_gate(4, &f, it)), 0);
    assert_int_equal(initiative_gate(0, &f, it), 0);
    assert_int_equal(initiative_gate(5, &f, it), 0);
}

/* Amounts are typed in the currency's major unit and stored in its minor
 * one: groups of thousands and a decimal comma or point taken, anything
 * else (a sign, three decimals, letters, too much) refused. */
static void amounts_are_typed_in_major_units(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        int64_t minor; /* -1: refused */
    } cases[] = {
        {"0", 0},
        {"1500", 150000},
        {"1 500", 150000},
        {"1\xc2\xa0"
         "500,50",
         150050},
        {"1500.5", 150050},
        {"12,05", 1205},
        {"1000000000", 100000000000},
        {"", -1},
        {"-5", -1},
        {"12,345", -1},
        {"1,", -1},
        {",5", -1},
        {"дорого", -1},
        {"1000000001", -1},
        {"99999999999", -1},
        {"1e3", -1},
        {" 5", -1},
        {"1.2.3", -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t minor = -7;
        int rc = initiative_amount_parse(cases[i].in, &minor);
        if (cases[i].minor < 0 ? rc == 0 : (rc != 0 || minor != cases[i].minor))
            fail_msg("%s: rc %d, %lld", cases[i].in, rc, (long long)minor);
    }
    char buf[48];
    initiative_amount_format(150050, " ", ",", buf, sizeof buf);
    assert_string_equal(buf, "1 500,50");
    initiative_amount_format(5, ",", ".", buf, sizeof buf);
    assert_string_equal(buf, "0.05");
    initiative_amount_format(123456789012, ",", ".", buf, sizeof buf);
    assert_string_equal(buf, "1,234,567,890.12");
}

static void stages_move_by_their_gates_once(void **state)
{
    (void)state;
    struct dbc *w = db_write_begin(g_db);
    struct town t;
    town_new(w, "etapy", &t);
    struct arena *a = arena_new();
    int64_t id = idea(w, &t, 1, "Сквер");
    char *missing = NULL;
    /* not at work yet: the stage it names is not its stage */
    assert_int_equal(initiative_move(w, t.cid, id, t.m[0], 1, 1, &missing), WR_CONFLICT);
    assert_int_equal(initiative_accept(w, t.cid, id, t.m[0]), WR_OK);
    /* the gate refuses, with the missing items */
    assert_int_equal(initiative_move(w, t.cid, id, t.m[0], 1, 1, &missing), WR_CONFLICT);
    assert_string_equal(wr_reason(w), "initiative.error.gate");
    assert_string_equal(missing, "[\"analysis\",\"evidence\"]");
    free(missing);
    assert_int_equal(db_exec(w,
                             "INSERT INTO initiative_work(initiative_id, community_id, analysis)"
                             " VALUES(?, ?, 'Подробно')",
                             "ii", id, t.cid),
                     1);
    assert_int_equal(db_exec(w,
                             "INSERT INTO initiative_stakeholders(initiative_id, community_id,"
                             " name) VALUES(?, ?, 'Школа')",
                             "ii", id, t.cid),
                     1);
    /* a member who is not its coordinator may not move it */
    assert_int_equal(initiative_move(w, t.cid, id, t.m[2], 0, 1, &missing), WR_CONFLICT);
    assert_string_equal(wr_reason(w), "initiative.error.not_coordinator");
    assert_int_equal(initiative_coordinator_set(w, t.cid, id, t.m[2]), WR_OK);
    assert_int_equal(initiative_move(w, t.cid, id, t.m[2], 0, 1, &missing), WR_OK);
    assert_int_equal(missing, NULL);
    /* the second of two moves from stage 1 is told it moved meanwhile */
    assert_int_equal(initiative_move(w, t.cid, id, t.m[0], 1, 1, &missing), WR_CONFLICT);
    assert_string_equal(wr_reason(w), "initiative.error.moved");
    struct initiative x;
    assert_int_equal(initiative_find(w, a, t.cid, id, &x), 0);
    assert_int_equal(x.stage, 2);
    /* back with a reason only, recorded */
    assert_int_equal(initiative_move_back(w, t.cid, id, t.m[0], 1, 2, ""), WR_INVALID);
    assert_int_equal(initiative_move_back(w, t.cid, id, t.m[0], 1, 2, "Мало данных"), WR_OK);
    assert_int_equal(db_int(w, -1,
                            "SELECT count(*) FROM initiative_history WHERE initiative_id = ?"
                            " AND from_stage = 2 AND to_stage = 1 AND reason = 'Мало данных'",
                            "i", id),
                     1);
    assert_int_equal(initiative_move(w, t.cid, id, t.m[0], 1, 1, &missing), WR_OK);
    /* design, implementation, evaluation, done */
    assert_int_equal(db_exec(w,
                             "UPDATE initiative_work SET goal = 'Цель', budget_confirmed = 1"
                             " WHERE initiative_id = ?",
                             "i", id),
                     1);
    assert_int_equal(initiative_move(w, t.cid, id, t.m[0], 1, 2, &missing), WR_CONFLICT);
    assert_string_equal(missing, "[\"task\"]");
    free(missing);
    assert_int_equal(
        db_exec(w,
                "INSERT INTO initiative_tasks(initiative_id, community_id, title,"
                " owner_member, due, created_at) VALUES(?, ?, 'Доски', ?, '2026-05-01',"
                " 0)",
                "iii", id, t.cid, t.m[3]),
        1);
    assert_int_equal(initiative_move(w, t.cid, id, t.m[0], 1, 2, &missing), WR_OK);
    /* the operational plan sees the task */
    assert_int_equal(db_int(w, -1,
                            "SELECT count(*) FROM initiative_plan_tasks WHERE community_id = ?"
                            " AND status = 'planned'",
                            "i", t.cid),
                     1);
    /* and so does the check that one person holds everything */
    struct strategy_facts sf;
    strategy_facts_load(w, a, t.cid, now_s(), &sf);
    assert_int_equal(sf.open_actions, 1);
    assert_int_equal(sf.top_owner_open, 1);
    assert_int_equal(initiative_move(w, t.cid, id, t.m[0], 1, 3, &missing), WR_CONFLICT);
    free(missing);
    assert_int_equal(
        db_exec(w, "UPDATE initiative_tasks SET status = 'done' WHERE initiative_id = ?", "i", id),
        1);
    assert_int_equal(db_exec(w,
                             "INSERT INTO initiative_reports(initiative_id, community_id,"
                             " member_id, body, created_at) VALUES(?, ?, ?, 'Сделали', 0)",
                             "iii", id, t.cid, t.m[3]),
                     1);
    assert_int_equal(initiative_move(w, t.cid, id, t.m[0], 1, 3, &missing), WR_OK);
    assert_int_equal(db_exec(w,
                             "UPDATE initiative_work SET done_text = 'Сделано', learned = 'Урок'"
                             " WHERE initiative_id = ?",
                             "i", id),
                     1);
    assert_int_equal(initiative_move(w, t.cid, id, t.m[0], 1, 4, &missing), WR_OK);
    assert_string_equal(state_of(w, a, &t, id), "done");
    /* reopened at evaluation with a reason */
    assert_int_equal(initiative_move_back(w, t.cid, id, t.m[0], 1, 5, "Не всё измерили"), WR_OK);
    assert_string_equal(state_of(w, a, &t, id), "work");
    assert_int_equal(initiative_move(w, t.cid, 999999, t.m[0], 1, 1, &missing), WR_NOT_FOUND);
    arena_free(a);
    assert_int_equal(db_write_end(g_db, w, 0), 0);
}

/* The report's sums: income by source, left = income - spent (negative
 * when more went out), what the plan still lacks; and the model's reads
 * of them over pledges, sources, income and spending. */
static void the_reports_sums_add_up(void **state)
{
    (void)state;
    struct initiative_report r = {
        .income = {100, 2000, 300, 40, 5}, .planned = 5000, .spent = 1000};
    initiative_report_close(&r);
    assert_int_equal(r.income_total, 2445);
    assert_int_equal(r.left, 1445);
    assert_int_equal(r.unfunded, 2555);
    r.spent = 3000;
    r.planned = 10;
    initiative_report_close(&r);
    assert_int_equal(r.left, -555);
    assert_int_equal(r.unfunded, 0);
    struct initiative_report zero = {0};
    initiative_report_close(&zero);
    assert_int_equal(zero.income_total + zero.left + zero.unfunded, 0);

    struct dbc *w = db_write_begin(g_db);
    struct town t;
    town_new(w, "dengi", &t);
    int64_t id = idea(w, &t, 1, "Фонари");
    assert_int_equal(initiative_accept(w, t.cid, id, t.m[0]), WR_OK);
    assert_int_equal(db_exec(w, "UPDATE initiatives SET stage = 2 WHERE id = ?", "i", id), 1);
    assert_int_equal(initiative_line_add(w, t.cid, id, t.m[0], 1, "Фонари", 500000), WR_OK);
    int64_t line = db_int(w, 0, "SELECT max(id) FROM initiative_budget_lines", "");
    /* a pledge against the line; an empty one refused */
    struct initiative_pledge_new p = {line, 150000, 4, "Краска"}, none = {0, 0, 0, ""};
    int64_t pledge = 0;
    assert_int_equal(initiative_pledge_add(w, t.cid, id, t.m[2], &none, NULL), WR_CONFLICT);
    assert_int_equal(initiative_pledge_add(w, t.cid, id, t.m[2], &p, &pledge), WR_OK);
    /* a member who is not a treasurer records nothing; a treasurer does */
    struct initiative_source_new g = {"grant", "Фонд", 1000000, "2027-01-01", "granted", 800000};
    assert_int_equal(initiative_source_add(w, t.cid, id, t.m[3], 0, &g, NULL), WR_CONFLICT);
    assert_string_equal(wr_reason(w), "initiative.error.not_treasurer");
    assert_int_equal(initiative_treasurer_set(w, t.cid, id, t.m[3], 1), WR_OK);
    int64_t grant = 0;
    assert_int_equal(initiative_source_add(w, t.cid, id, t.m[3], 0, &g, &grant), WR_OK);
    struct initiative_income_new in[] = {
        {"grant", grant, 800000, "2027-01-10", ""},
        {"pledge", pledge, 150000, "2027-01-11", ""},
        {"other", 0, 50, "2027-01-12", "Копилка"},
    };
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++)
        assert_int_equal(initiative_income_add(w, t.cid, id, t.m[3], 0, &in[i]), WR_OK);
    /* a sponsor's money names a sponsor of the initiative */
    struct initiative_income_new bad = {"sponsor", grant, 1, "2027-01-12", ""};
    assert_int_equal(initiative_income_add(w, t.cid, id, t.m[3], 0, &bad), WR_CONFLICT);
    assert_string_equal(wr_reason(w), "initiative.error.ref_gone");
    /* the money from the pledge fulfilled it: no longer withdrawn */
    assert_int_equal(initiative_pledge_withdraw(w, t.cid, id, t.m[2], pledge), WR_CONFLICT);
    struct initiative_spending_new sp = {line, 600000, "2027-01-20", ""};
    assert_int_equal(initiative_funds_spend(w, t.cid, id, t.m[3], 0, &sp), WR_OK);
    struct initiative_report got;
    assert_int_equal(initiative_report_read(w, t.cid, id, &got), 0);
    assert_int_equal(got.income[0], 150000);
    assert_int_equal(got.income[1], 800000);
    assert_int_equal(got.income[4], 50);
    assert_int_equal(got.income_total, 950050);
    assert_int_equal(got.spent, 600000);
    assert_int_equal(got.left, 350050);
    assert_int_equal(got.planned, 500000);
    assert_int_equal(got.unfunded, 0);
    assert_int_equal(got.pledges, 1);
    assert_int_equal(got.pledges_fulfilled, 1);
    assert_int_equal(got.granted, 800000);
    assert_int_equal(initiative_report_read(w, t.cid, 999999, &got), -1);
    assert_int_equal(db_write_end(g_db, w, 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_states_sets_agree_with_the_sql),
        cmocka_unit_test(the_threshold_moves_only_ideas),
        cmocka_unit_test(search_words_are_stems_once_each),
        cmocka_unit_test(the_support_that_reaches_it_queues_it),
        cmocka_unit_test(a_community_sealed_in_place_keeps_its_search),
        cmocka_unit_test(the_gates_list_what_is_missing),
        cmocka_unit_test(stages_move_by_their_gates_once),
        cmocka_unit_test(amounts_are_typed_in_major_units),
        cmocka_unit_test(the_reports_sums_add_up),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
