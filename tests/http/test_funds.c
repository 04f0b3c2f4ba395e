/* Initiatives' fundraising and the transparency report (issue 14, step 4)
 * over HTTP against a real server with the demo: pledges (withdrawn while
 * open, fulfilled by a treasurer or by the money that comes from them),
 * grants, sponsors and a collection with its bar, money received and
 * spent, the report as a page, JSON and CSV; every bad input 422 beside its
 * field with the input kept; who may write (organizers, treasurers,
 * members pledging); two treasurers writing at once lose nothing; a
 * secret community's report names nobody. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/httpx.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct srv S;

#define DS "/c/dvor-sadovaya-12"
#define TV "/c/tiho-vmeste"

static int setup(void **state)
{
    (void)state;
    return srv_start(&S, 1, NULL);
}

static int teardown(void **state)
{
    (void)state;
    return srv_stop(&S) == 0 ? 0 : -1;
}

static long long q(const char *sql, long long id)
{
    char p[32];
    snprintf(p, sizeof p, "%lld", id);
    return db_value(&S, sql, p);
}

static const char *at(char *buf, size_t n, const char *comm, long long id, const char *what)
{
    snprintf(buf, n, "%s/initiatives/%lld%s", comm, id, what);
    return buf;
}

static const char *member_str(char *buf, size_t n, const char *slug, const char *handle)
{
    snprintf(buf, n, "%lld", member_id_of(&S, slug, handle));
    return buf;
}

/* A new idea of the member's in comm, accepted, analysed and moved to the
 * design, with a budget line of 5 000: its id. */
static long long designed(const char *comm, struct client *m, struct client *org, const char *title)
{
    char p[160];
    snprintf(p, sizeof p, "%s/initiatives", comm);
    POST(m, p, 303, "title", title, "problem", "Во дворе темно.", "proposal",
         "Поставить фонари у подъездов.", "direction", "landscaping");
    /* the newest of the community's (a secret one's titles are sealed) */
    long long id = db_value(&S,
                            "SELECT max(i.id) FROM initiatives i JOIN communities c"
                            " ON c.id = i.community_id WHERE c.slug = ?",
                            comm + 3);
    assert_true(id > 0);
    POST(org, at(p, sizeof p, comm, id, "/accept"), 303, "x", "1");
    POST(org, at(p, sizeof p, comm, id, "/analysis"), 303, "analysis", "Темно вечером.");
    POST(org, at(p, sizeof p, comm, id, "/stakeholders"), 303, "stakeholder_name", "ЖЭС");
    POST(org, at(p, sizeof p, comm, id, "/move"), 303, "stage", "1");
    POST(org, at(p, sizeof p, comm, id, "/budget"), 303, "line_name", "Фонари", "line_amount",
         "5000");
    return id;
}

static long long last(const char *table_sql, long long id)
{
    return q(table_sql, id);
}

static json_t *report_of(struct client *c, const char *comm, long long id)
{
    char p[160];
    return get_json(c, at(p, sizeof p, comm, id, "/report"), 200);
}

/* ---- the whole way ---- */

static void pledges_sources_money_and_the_report(void **state)
{
    (void)state;
    struct client m, org, tr, other, anon;
    login_as(&m, &S, "member");
    login_as(&org, &S, "organizer");
    login_as(&tr, &S, "dvor-sadovaya-12-4");
    login_as(&other, &S, "dvor-sadovaya-12-5");
    login_as(&anon, &S, NULL);
    long long id = designed(DS, &m, &org, "Фонари у подъездов");
    char p[160], mem[32], line[32], ref[48];
    snprintf(line, sizeof line, "%lld",
             last("SELECT max(id) FROM initiative_budget_lines WHERE initiative_id ="
                  " CAST(? AS INTEGER)",
                  id));
    /* the initiative's page links to both */
    char *html = get_html(&m, at(p, sizeof p, DS, id, ""));
    assert_non_null(strstr(html, "/funds\""));
    assert_non_null(strstr(html, "/report\""));
    free(html);
    /* a member pledges money, hours and materials; withdraws a second one */
    POST(&m, at(p, sizeof p, DS, id, "/funds/pledges"), 303, "pledge_line", line, "pledge_money",
         "1 500", "pledge_hours", "4", "pledge_materials", "Краска");
    long long pledge = last("SELECT max(id) FROM initiative_pledges WHERE initiative_id ="
                            " CAST(? AS INTEGER)",
                            id);
    POST(&m, at(p, sizeof p, DS, id, "/funds/pledges"), 303, "pledge_hours", "2");
    long long second = last("SELECT max(id) FROM initiative_pledges WHERE initiative_id ="
                            " CAST(? AS INTEGER)",
                            id);
    snprintf(ref, sizeof ref, "/funds/pledges/%lld/withdraw", second);
    POST(&other, at(p, sizeof p, DS, id, ref), 404, "x", "1"); /* not theirs */
    POST(&m, at(p, sizeof p, DS, id, ref), 303, "x", "1");
    POST(&m, at(p, sizeof p, DS, id, ref), 404, "x", "1");
    assert_int_equal(q("SELECT count(*) FROM initiative_pledges WHERE initiative_id ="
                       " CAST(? AS INTEGER)",
                       id),
                     1);
    /* the withdrawn pledge stays in a history: the organizer (who keeps
     * the books) sees who and which day, its member sees their own, another
     * member nothing of it; the report counts it and its hours */
    json_t *fv = view_json(&org, at(p, sizeof p, DS, id, "/funds"));
    assert_int_equal(json_array_size(jget(fv, "withdrawn")), 1);
    assert_int_equal(json_integer_value(jget(fv, "withdrawn.0.hours")), 2);
    assert_non_null(jstr(fv, "withdrawn.0.who"));
    assert_non_null(jstr(fv, "withdrawn.0.withdrawn"));
    json_decref(fv);
    fv = view_json(&m, at(p, sizeof p, DS, id, "/funds"));
    assert_int_equal(json_array_size(jget(fv, "withdrawn")), 1);
    assert_true(json_is_true(jget(fv, "withdrawn.0.mine")));
    json_decref(fv);
    fv = view_json(&other, at(p, sizeof p, DS, id, "/funds"));
    assert_int_equal(json_array_size(jget(fv, "withdrawn")), 0);
    json_decref(fv);
    /* the member's own file of data holds what they promised and took back */
    struct resp ex;
    assert_int_equal(client_get(&m, "/account/export.json", 0, &ex), 0);
    assert_int_equal(ex.status, 200);
    json_t *wd = jget(ex.json, "initiative.pledges_withdrawn");
    assert_true(json_array_size(wd) >= 1);
    assert_int_equal(
        json_integer_value(json_object_get(json_array_get(wd, json_array_size(wd) - 1), "hours")),
        2);
    assert_non_null(json_object_get(json_array_get(wd, 0), "withdrawn"));
    resp_free(&ex);
    fv = view_json(&anon, at(p, sizeof p, DS, id, "/report"));
    assert_int_equal(json_integer_value(jget(fv, "totals.withdrawn")), 1);
    assert_int_equal(json_integer_value(jget(fv, "totals.withdrawn_hours")), 2);
    assert_int_equal(json_integer_value(jget(fv, "totals.pledges")), 1);
    json_decref(fv);
    /* a member who is no treasurer records nothing */
    POST(&tr, at(p, sizeof p, DS, id, "/funds/sources"), 409, "source_kind", "grant", "source_name",
         "Фонд", "source_amount", "100");
    POST(&tr, at(p, sizeof p, DS, id, "/funds/treasurers"), 403, "treasurer_member", "1");
    /* the organizer names a treasurer */
    POST(&org, at(p, sizeof p, DS, id, "/funds/treasurers"), 303, "treasurer_member",
         member_str(mem, sizeof mem, "dvor-sadovaya-12", "dvor-sadovaya-12-4"));
    POST(&tr, at(p, sizeof p, DS, id, "/funds/sources"), 303, "source_kind", "grant", "source_name",
         "Фонд добрых дел", "source_amount", "10000", "source_deadline", "2027-03-01",
         "source_status", "sent");
    long long grant = last("SELECT max(id) FROM initiative_sources WHERE initiative_id ="
                           " CAST(? AS INTEGER)",
                           id);
    POST(&tr, at(p, sizeof p, DS, id, "/funds/sources"), 303, "source_kind", "sponsor",
         "source_name", "Магазин «Уют»", "source_amount", "3000");
    long long sponsor = grant + 1;
    POST(&tr, at(p, sizeof p, DS, id, "/funds/sources"), 303, "source_kind", "collection",
         "source_name", "Сбор во дворе", "source_amount", "2000", "source_deadline", "2027-02-01");
    long long coll = grant + 2;
    snprintf(ref, sizeof ref, "/funds/sources/%lld", grant);
    POST(&tr, at(p, sizeof p, DS, id, ref), 303, "status", "granted", "granted", "8000");
    snprintf(ref, sizeof ref, "/funds/sources/%lld", sponsor);
    POST(&tr, at(p, sizeof p, DS, id, ref), 404, "status", "granted"); /* a sponsor: no status */
    /* money received from each; from the pledge it fulfils it */
    struct {
        const char *from;
        long long ref;
        const char *amount;
    } in[] = {{"grant", grant, "8000"},     {"sponsor", sponsor, "3000"},
              {"collection", coll, "1200"}, {"collection", coll, "800"},
              {"pledge", pledge, "1500"},   {"other", 0, "100,50"}};
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
        char from[48];
        if (in[i].ref)
            snprintf(from, sizeof from, "%s-%lld", in[i].from, in[i].ref);
        else
            snprintf(from, sizeof from, "%s", in[i].from);
        POST(&tr, at(p, sizeof p, DS, id, "/funds/income"), 303, "income_from", from,
             "income_amount", in[i].amount, "income_day", "2027-01-15", "income_note", "Перевод");
    }
    assert_int_equal(q("SELECT fulfilled_at IS NOT NULL FROM initiative_pledges WHERE id ="
                       " CAST(? AS INTEGER)",
                       pledge),
                     1);
    snprintf(ref, sizeof ref, "/funds/pledges/%lld/withdraw", pledge);
    POST(&m, at(p, sizeof p, DS, id, ref), 409, "x", "1"); /* fulfilled: stays */
    snprintf(ref, sizeof ref, "/funds/pledges/%lld/fulfil", pledge);
    POST(&tr, at(p, sizeof p, DS, id, ref), 409, "x", "1");
    /* spending against the line, by the treasurer */
    POST(&tr, at(p, sizeof p, DS, id, "/funds/spending"), 303, "fund_line", line, "fund_amount",
         "6000", "fund_day", "2027-01-20", "fund_note", "Фонари и провод");
    /* the funds page: the collection reached, its bar full */
    json_t *v = view_json(&m, at(p, sizeof p, DS, id, "/funds"));
    assert_int_equal(json_array_size(jget(v, "sources")), 3);
    assert_true(json_is_true(jget(v, "sources.2.reached")));
    assert_int_equal(json_integer_value(jget(v, "sources.2.bar")), 1000);
    assert_int_equal(json_integer_value(jget(v, "sources.2.percent")), 100);
    assert_true(json_is_true(jget(v, "pledges.0.fulfilled")));
    assert_true(json_is_true(jget(v, "pledges.0.mine")));
    assert_false(json_is_true(jget(v, "can_keep")));
    assert_true(json_is_true(jget(v, "can_pledge")));
    json_decref(v);
    html = get_html(&m, at(p, sizeof p, DS, id, "/funds"));
    assert_non_null(strstr(html, "<svg class=\"bg-bar"));
    free(html);
    /* the report: income by source, spending by line, what is left */
    v = report_of(&m, DS, id);
    assert_int_equal(json_integer_value(jget(v, "income.0.amount")), 150000); /* pledge */
    assert_int_equal(json_integer_value(jget(v, "income.1.amount")), 800000); /* grant */
    assert_int_equal(json_integer_value(jget(v, "income.2.amount")), 300000); /* sponsor */
    assert_int_equal(json_integer_value(jget(v, "income.3.amount")), 200000); /* collection */
    assert_int_equal(json_integer_value(jget(v, "income.4.amount")), 10050);  /* other */
    assert_int_equal(json_integer_value(jget(v, "totals.income")), 1460050);
    assert_int_equal(json_integer_value(jget(v, "totals.spent")), 600000);
    assert_int_equal(json_integer_value(jget(v, "totals.left")), 860050);
    assert_int_equal(json_integer_value(jget(v, "totals.planned")), 500000);
    assert_int_equal(json_integer_value(jget(v, "lines.0.planned")), 500000);
    assert_int_equal(json_integer_value(jget(v, "lines.0.spent")), 600000);
    assert_true(json_is_true(jget(v, "lines.0.over")));
    assert_int_equal(json_integer_value(jget(v, "totals.granted")), 800000);
    assert_int_equal(json_integer_value(jget(v, "totals.pledges")), 1);
    assert_null(jget(v, "lines.0.entry"));
    json_decref(v);
    /* anyone reads a public community's report, as its initiatives */
    json_decref(report_of(&anon, DS, id));
    /* CSV: UTF-8 with a BOM, Russian headers, a download name */
    struct resp r;
    assert_int_equal(client_get(&m, at(p, sizeof p, DS, id, "/report.csv"), 0, &r), 0);
    assert_int_equal(r.status, 200);
    char hdr[200];
    assert_int_equal(resp_header(&r, "Content-Type", hdr, sizeof hdr), 0);
    assert_string_equal(hdr, "text/csv; charset=utf-8");
    assert_int_equal(resp_header(&r, "Content-Disposition", hdr, sizeof hdr), 0);
    assert_non_null(strstr(hdr, "attachment; filename=\"initiative-dvor-sadovaya-12-"));
    assert_true(r.len > 3 && memcmp(r.body, "\xEF\xBB\xBF", 3) == 0);
    assert_non_null(strstr(r.body, "\"Раздел\",\"Статья\",\"План, RUB\",\"Сумма, RUB\"\r\n"));
    assert_non_null(strstr(r.body, "\"Грант\",\"\",\"8000.00\"\r\n"));
    assert_non_null(strstr(r.body, "\"Фонари\",\"5000.00\",\"6000.00\"\r\n"));
    assert_non_null(strstr(r.body, "\"Остаток\",\"\",\"\",\"8600.50\"\r\n"));
    resp_free(&r);
    /* the community counts in another currency: the report says which;
     * one not offered is refused beside the field, the threshold kept */
    char *page = post_expect(&org, DS "/initiatives/settings", 422, "threshold", "7", "currency",
                             "XAU", END);
    assert_non_null(strstr(page, "id=\"currency-error\""));
    assert_non_null(strstr(page, "value=\"7\""));
    free(page);
    POST(&org, DS "/initiatives/settings", 303, "threshold", "5", "currency", "BYN");
    assert_int_equal(db_value(&S,
                              "SELECT count(*) FROM initiative_settings s JOIN communities c"
                              " ON c.id = s.community_id WHERE c.slug = ? AND currency = 'BYN'",
                              "dvor-sadovaya-12"),
                     1);
    assert_int_equal(client_get(&m, at(p, sizeof p, DS, id, "/report.csv"), 0, &r), 0);
    assert_non_null(strstr(r.body, "\"План, BYN\""));
    resp_free(&r);
    /* back to the defaults: no row is left */
    POST(&org, DS "/initiatives/settings", 303, "threshold", "5", "currency", "RUB");
    assert_int_equal(db_value(&S,
                              "SELECT count(*) FROM initiative_settings s JOIN communities c"
                              " ON c.id = s.community_id WHERE c.slug = ?",
                              "dvor-sadovaya-12"),
                     0);
    /* the treasurer taken back: writes no more */
    POST(&org, at(p, sizeof p, DS, id, "/funds/treasurers/remove"), 303, "member", mem);
    POST(&tr, at(p, sizeof p, DS, id, "/funds/income"), 409, "income_from", "other",
         "income_amount", "1", "income_day", "2027-01-15");
    POST(&org, at(p, sizeof p, DS, id, "/funds/treasurers/remove"), 404, "member", mem);
    client_free(&m);
    client_free(&org);
    client_free(&tr);
    client_free(&other);
    client_free(&anon);
}

/* ---- the evidence select is the analysis' work page's only ---- */

static void the_evidence_select_is_drawn_when_asked_for(void **state)
{
    (void)state;
    struct client m, org;
    login_as(&m, &S, "member");
    login_as(&org, &S, "organizer");
    long long id = designed(DS, &m, &org, "Доказательства позже");
    char p[160];
    json_t *v = view_json(&org, at(p, sizeof p, DS, id, ""));
    assert_true(json_is_true(jget(v, "edit1")));
    assert_null(jget(v, "evidence_options"));
    json_decref(v);
    v = view_json(&org, at(p, sizeof p, DS, id, "/analysis"));
    assert_true(json_is_true(jget(v, "has_evidence_choices")));
    json_decref(v);
    v = view_json(&org, at(p, sizeof p, DS, id, "/design"));
    assert_null(jget(v, "evidence_options"));
    json_decref(v);
    char *html = get_html(&org, at(p, sizeof p, DS, id, ""));
    snprintf(p, sizeof p, DS "/initiatives/%lld/analysis\"", id);
    assert_non_null(strstr(html, p));
    free(html);
    client_free(&m);
    client_free(&org);
}

/* ---- every bad input ---- */

/* ---- the funds' lists are paged, each by its own parameter ---- */

/* The entries of list key in v, as a ", 12, 13," string. */
static void entries_of(json_t *v, const char *key, char *out, size_t n)
{
    size_t i, len = 0;
    json_t *row;
    out[0] = 0;
    json_array_foreach(json_object_get(v, key), i, row)
    {
        len += (size_t)snprintf(out + len, n - len, ",%lld,",
                                (long long)json_integer_value(json_object_get(row, "entry")));
        if (len >= n) break;
    }
}

static void the_funds_lists_are_paged(void **state)
{
    (void)state;
    struct client m, org;
    login_as(&m, &S, "member");
    login_as(&org, &S, "organizer");
    long long id = designed(DS, &m, &org, "Много обещаний");
    char p[160], name[32];
    for (int i = 0; i < 32; i++) {
        POST(&m, at(p, sizeof p, DS, id, "/funds/pledges"), 303, "pledge_hours", "1");
        snprintf(name, sizeof name, "Спонсор %d", i);
        POST(&org, at(p, sizeof p, DS, id, "/funds/sources"), 303, "source_kind", "sponsor",
             "source_name", name, "source_amount", "10");
    }
    static const char *const lists[] = {"pledges", "sources"};
    for (size_t k = 0; k < 2; k++) {
        json_t *one = view_json(&m, at(p, sizeof p, DS, id, "/funds"));
        char q2[48];
        snprintf(q2, sizeof q2, "/funds?%s=2", lists[k]);
        json_t *two = view_json(&m, at(p, sizeof p, DS, id, q2));
        assert_int_equal(json_array_size(json_object_get(one, lists[k])), 30);
        assert_int_equal(json_array_size(json_object_get(two, lists[k])), 2);
        char key[48];
        snprintf(key, sizeof key, "%s_pager.next_page", lists[k]);
        assert_non_null(jstr(one, key));
        assert_null(jget(two, key));
        char a1[1024], a2[256];
        entries_of(one, lists[k], a1, sizeof a1);
        entries_of(two, lists[k], a2, sizeof a2);
        /* page 2 shows what page 1 does not */
        for (size_t i = 0; i < json_array_size(json_object_get(two, lists[k])); i++) {
            char e[32];
            snprintf(e, sizeof e, ",%lld,",
                     (long long)json_integer_value(json_object_get(
                         json_array_get(json_object_get(two, lists[k]), i), "entry")));
            if (strstr(a1, e)) fail_msg("%s: %s on both pages", lists[k], e);
        }
        json_decref(one);
        json_decref(two);
    }
    /* the income's select still offers every pledge, not a page's */
    json_t *v = view_json(&org, at(p, sizeof p, DS, id, "/funds"));
    assert_true(json_array_size(jget(v, "from_options")) >= 2 + 32 + 32);
    json_decref(v);
    client_free(&m);
    client_free(&org);
}

static void every_bad_input_is_refused_beside_its_field(void **state)
{
    (void)state;
    struct client m, org;
    login_as(&m, &S, "member");
    login_as(&org, &S, "organizer");
    long long id = designed(DS, &m, &org, "Проверка форм денег");
    char p[160], long_name[300], long_note[700];
    memset(long_name, 'x', 201);
    long_name[201] = 0;
    memset(long_note, 'y', 501);
    long_note[501] = 0;
    struct {
        struct client *c;
        const char *what, *field, *pairs[16];
    } bad[] = {
        {&m, "/funds/pledges", "pledge_money", {"pledge_money", "-5", NULL}},
        {&m, "/funds/pledges", "pledge_money", {"pledge_money", "много", NULL}},
        {&m, "/funds/pledges", "pledge_money", {"pledge_money", "", "pledge_hours", "", NULL}},
        {&m, "/funds/pledges", "pledge_hours", {"pledge_hours", "-1", NULL}},
        {&m, "/funds/pledges", "pledge_hours", {"pledge_hours", "100001", NULL}},
        {&m, "/funds/pledges", "pledge_line", {"pledge_line", "abc", "pledge_hours", "1", NULL}},
        {&m, "/funds/pledges", "pledge_materials", {"pledge_materials", long_note, NULL}},
        {&org,
         "/funds/sources",
         "source_kind",
         {"source_kind", "loan", "source_name", "Хранимое", "source_amount", "1", NULL}},
        {&org,
         "/funds/sources",
         "source_name",
         {"source_kind", "grant", "source_name", "", "source_amount", "1", NULL}},
        {&org,
         "/funds/sources",
         "source_name",
         {"source_kind", "grant", "source_name", long_name, "source_amount", "1", NULL}},
        {&org,
         "/funds/sources",
         "source_amount",
         {"source_kind", "grant", "source_name", "Хранимое", "source_amount", "-1", NULL}},
        {&org,
         "/funds/sources",
         "source_amount",
         {"source_kind", "grant", "source_name", "Хранимое", "source_amount", "", NULL}},
        {&org,
         "/funds/sources",
         "source_deadline",
         {"source_kind", "grant", "source_name", "Хранимое", "source_amount", "1",
          "source_deadline", "2027-02-30", NULL}},
        {&org,
         "/funds/sources",
         "source_status",
         {"source_kind", "grant", "source_name", "Хранимое", "source_amount", "1", "source_status",
          "won", NULL}},
        {&org,
         "/funds/sources",
         "source_granted",
         {"source_kind", "sponsor", "source_name", "Хранимое", "source_amount", "1",
          "source_granted", "5", NULL}},
        {&org,
         "/funds/income",
         "income_from",
         {"income_from", "bank-1", "income_amount", "1", "income_day", "2027-01-01", NULL}},
        {&org,
         "/funds/income",
         "income_from",
         {"income_from", "grant-x", "income_amount", "1", "income_day", "2027-01-01", NULL}},
        {&org,
         "/funds/income",
         "income_amount",
         {"income_from", "other", "income_amount", "1.234", "income_day", "2027-01-01", NULL}},
        {&org,
         "/funds/income",
         "income_day",
         {"income_from", "other", "income_amount", "1", "income_day", "15.01.2027", NULL}},
        {&org,
         "/funds/income",
         "income_note",
         {"income_from", "other", "income_amount", "1", "income_day", "2027-01-01", "income_note",
          long_note, NULL}},
        {&org,
         "/funds/spending",
         "fund_line",
         {"fund_amount", "1", "fund_day", "2027-01-01", NULL}},
        {&org,
         "/funds/spending",
         "fund_amount",
         {"fund_line", "1", "fund_amount", "99999999999", "fund_day", "2027-01-01", NULL}},
        {&org,
         "/funds/spending",
         "fund_day",
         {"fund_line", "1", "fund_amount", "1", "fund_day", "", NULL}},
        {&org, "/funds/treasurers", "treasurer_name", {"treasurer_name", "", NULL}},
        {&org, "/funds/treasurers", "treasurer_name", {"treasurer_name", "Несуществующий", NULL}},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct resp r;
        assert_int_equal(
            post_pairs(bad[i].c, at(p, sizeof p, DS, id, bad[i].what), 1, bad[i].pairs, &r), 0);
        if (r.status != 422 || !field_error(&r, bad[i].field))
            fail_msg("%zu %s %s: %ld %.300s", i, bad[i].what, bad[i].field, r.status, r.body);
        resp_free(&r);
        /* the page again, the input kept */
        assert_int_equal(
            post_pairs(bad[i].c, at(p, sizeof p, DS, id, bad[i].what), 0, bad[i].pairs, &r), 0);
        assert_int_equal(r.status, 422);
        assert_true(resp_has(&r, "aria-invalid=\"true\""));
        if (bad[i].pairs[2] && strcmp(bad[i].pairs[3], "Хранимое") == 0)
            assert_true(resp_has(&r, "value=\"Хранимое\""));
        resp_free(&r);
    }
    /* a grant's row form: its own message and the input kept */
    POST(&org, at(p, sizeof p, DS, id, "/funds/sources"), 303, "source_kind", "grant",
         "source_name", "Фонд", "source_amount", "100");
    char ref[64];
    snprintf(
        ref, sizeof ref, "/funds/sources/%lld",
        q("SELECT max(id) FROM initiative_sources WHERE initiative_id = CAST(? AS INTEGER)", id));
    char *body = post_expect(&org, at(p, sizeof p, DS, id, ref), 422, "status", "granted",
                             "granted", "сто", END);
    assert_non_null(strstr(body, "value=\"сто\""));
    assert_non_null(strstr(body, "field-error"));
    free(body);
    POST(&org, at(p, sizeof p, DS, id, ref), 422, "status", "won");
    /* references that are not the initiative's */
    POST(&org, at(p, sizeof p, DS, id, "/funds/income"), 409, "income_from", "grant-999999",
         "income_amount", "1", "income_day", "2027-01-01");
    POST(&org, at(p, sizeof p, DS, id, "/funds/spending"), 409, "fund_line", "999999",
         "fund_amount", "1", "fund_day", "2027-01-01");
    POST(&m, at(p, sizeof p, DS, id, "/funds/pledges"), 409, "pledge_line", "999999",
         "pledge_hours", "1");
    POST(&m, "/c/dvor-sadovaya-12/initiatives/999999/funds/pledges", 404, "pledge_hours", "1");
    assert_int_equal(
        q("SELECT count(*) FROM initiative_income WHERE initiative_id = CAST(? AS INTEGER)", id),
        0);
    client_free(&m);
    client_free(&org);
}

/* ---- two treasurers at once ---- */

struct shot {
    struct client c;
    const char *path;
    int n;
    long status[8];
};

static void *fire(void *arg)
{
    struct shot *s = arg;
    for (int i = 0; i < s->n; i++) {
        const char *pairs[] = {"income_from", "other", "income_amount", "10", "income_day",
                               "2027-01-10",  NULL};
        s->status[i] = post_status(&s->c, s->path, 0, pairs);
    }
    return NULL;
}

static void two_treasurers_at_once_lose_nothing(void **state)
{
    (void)state;
    struct client m, org;
    login_as(&m, &S, "member");
    login_as(&org, &S, "organizer");
    long long id = designed(DS, &m, &org, "Два казначея");
    char p[160], mem[32];
    POST(&org, at(p, sizeof p, DS, id, "/funds/treasurers"), 303, "treasurer_member",
         member_str(mem, sizeof mem, "dvor-sadovaya-12", "dvor-sadovaya-12-4"));
    POST(&org, at(p, sizeof p, DS, id, "/funds/treasurers"), 303, "treasurer_member",
         member_str(mem, sizeof mem, "dvor-sadovaya-12", "dvor-sadovaya-12-5"));
    enum { N = 2, EACH = 8 };
    static const char *const who[N] = {"dvor-sadovaya-12-4", "dvor-sadovaya-12-5"};
    struct shot shots[N];
    pthread_t th[N];
    for (int i = 0; i < N; i++) {
        login_as(&shots[i].c, &S, who[i]);
        shots[i].path = at(p, sizeof p, DS, id, "/funds/income");
        shots[i].n = EACH;
    }
    for (int i = 0; i < N; i++)
        assert_int_equal(pthread_create(&th[i], NULL, fire, &shots[i]), 0);
    int ok = 0;
    for (int i = 0; i < N; i++) {
        pthread_join(th[i], NULL);
        for (int k = 0; k < EACH; k++)
            ok += shots[i].status[k] == 303;
        client_free(&shots[i].c);
    }
    assert_int_equal(ok, N * EACH);
    assert_int_equal(
        q("SELECT count(*) FROM initiative_income WHERE initiative_id = CAST(? AS INTEGER)", id),
        N * EACH);
    json_t *v = report_of(&m, DS, id);
    assert_int_equal(json_integer_value(jget(v, "totals.income")), N * EACH * 1000);
    json_decref(v);
    client_free(&m);
    client_free(&org);
}

/* ---- a secret community ---- */

static void a_secret_communitys_report_names_nobody(void **state)
{
    (void)state;
    struct client m, org, anon, out;
    login_as(&m, &S, "member");
    login_as(&org, &S, "organizer");
    login_as(&anon, &S, NULL);
    login_as(&out, &S, "newcomer");
    long long id = designed(TV, &m, &org, "Тихие фонари");
    char p[160];
    POST(&m, at(p, sizeof p, TV, id, "/funds/pledges"), 303, "pledge_money", "700",
         "pledge_materials", "Лампы");
    POST(&org, at(p, sizeof p, TV, id, "/funds/income"), 303, "income_from", "pledge",
         "income_amount", "700", "income_day", "2027-01-15");
    /* the funds page shows the member who pledged to members */
    json_t *v = view_json(&m, at(p, sizeof p, TV, id, "/funds"));
    const char *who = jstr(v, "pledges.0.who");
    assert_non_null(who);
    assert_true(who[0] != 0);
    char name[200];
    snprintf(name, sizeof name, "%s", who);
    json_decref(v);
    /* the report does not, in any form (read by another: a page names its
     * own reader in its header) */
    char *html = get_html(&org, at(p, sizeof p, TV, id, "/report"));
    assert_null(strstr(html, name));
    assert_non_null(strstr(html, "700,00"));
    free(html);
    struct resp r;
    assert_int_equal(client_get(&org, at(p, sizeof p, TV, id, "/report"), 1, &r), 0);
    assert_int_equal(r.status, 200);
    assert_null(strstr(r.body, name));
    resp_free(&r);
    assert_int_equal(client_get(&org, at(p, sizeof p, TV, id, "/report.csv"), 0, &r), 0);
    assert_int_equal(r.status, 200);
    assert_null(strstr(r.body, name));
    resp_free(&r);
    /* the texts are sealed on disk */
    assert_int_equal(q("SELECT count(*) FROM initiative_pledges WHERE initiative_id ="
                       " CAST(? AS INTEGER) AND materials = 'Лампы'",
                       id),
                     0);
    /* nobody outside reads it */
    assert_true(get_status(&anon, at(p, sizeof p, TV, id, "/report"), 0) >= 400);
    assert_true(get_status(&out, at(p, sizeof p, TV, id, "/report.csv"), 0) >= 400);
    assert_true(get_status(&out, at(p, sizeof p, TV, id, "/funds"), 0) >= 400);
    client_free(&m);
    client_free(&org);
    client_free(&anon);
    client_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pledges_sources_money_and_the_report),
        cmocka_unit_test(every_bad_input_is_refused_beside_its_field),
        cmocka_unit_test(the_evidence_select_is_drawn_when_asked_for),
        cmocka_unit_test(the_funds_lists_are_paged),
        cmocka_unit_test(two_treasurers_at_once_lose_nothing),
        cmocka_unit_test(a_secret_communitys_report_names_nobody),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
