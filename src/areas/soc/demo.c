/* Demo: two finished waves in the yard on Sadovaya (results and trend), an
 * open wave with too few answers in the Green quarter, and a shared wave in
 * the school parents' community for the coordinators' comparison. */
#include "areas/demo.h"
#include "areas/soc/soc.h"
#include "areas/community/community.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>

struct demo_answer {
    const char *who; /* handle */
    int v[SOC_FACTORS];
    const char *c[SOC_FACTORS];
};

/* The answers of a wave, cast at time at (within the wave's dates). */
static int put_answers(struct dbc *w, int64_t cid, int64_t wave, const struct demo_answer *a,
                       size_t n, int64_t at)
{
    for (size_t i = 0; i < n; i++) {
        int64_t member = member_of_account(w, cid, demo_account(w, a[i].who));
        if (member <= 0) return -1;
        int64_t v[SOC_FACTORS];
        const char *c[SOC_FACTORS];
        for (int f = 0; f < SOC_FACTORS; f++) {
            v[f] = a[i].v[f];
            c[f] = a[i].c[f] ? a[i].c[f] : "";
        }
        if (soc_answer_cast(w, cid, wave, member, v, c, at) != WR_OK) return -1;
    }
    return 0;
}

static const struct demo_answer SPRING[] = {
    {"organizer", {7, 5, 4, 6}, {NULL, "Решения пока принимают два-три человека.", NULL, NULL}},
    {"member", {6, 4, 5, 5}, {NULL, NULL, "Хочется больше общих дел, не только собраний.", NULL}},
    {"dvor-sadovaya-12-1", {5, 3, 4, 4}, {NULL, NULL, NULL, NULL}},
    {"dvor-sadovaya-12-2",
     {8, 5, 3, 6},
     {"Со многими соседями знакомы только в лицо.", NULL, NULL, NULL}},
    {"dvor-sadovaya-12-3",
     {4, 2, 3, 3},
     {NULL, "Моё предложение про парковку никто не обсудил.", NULL, NULL}},
    {"dvor-sadovaya-12-4", {6, 4, 4, 5}, {NULL, NULL, NULL, NULL}},
    {"dvor-sadovaya-12-5", {7, 6, 5, 7}, {NULL, NULL, NULL, "Субботник в апреле всех сблизил."}},
    {"dvor-sadovaya-12-6", {5, 3, 2, 4}, {NULL, NULL, NULL, NULL}},
};

static const struct demo_answer AUTUMN[] = {
    {"organizer", {8, 6, 5, 7}, {NULL, NULL, NULL, NULL}},
    {"member", {7, 6, 5, 7}, {NULL, "Теперь голосуем в чате, и это работает.", NULL, NULL}},
    {"dvor-sadovaya-12-1", {6, 5, 4, 6}, {NULL, NULL, NULL, NULL}},
    {"dvor-sadovaya-12-2",
     {8, 6, 4, 7},
     {NULL, NULL, "Не хватает обмена вещами и помощи пожилым.", NULL}},
    {"dvor-sadovaya-12-3", {6, 5, 3, 5}, {NULL, NULL, NULL, NULL}},
    {"dvor-sadovaya-12-5",
     {8, 7, 5, 8},
     {NULL, NULL, NULL, "Праздник двора надо сделать традицией."}},
    {"dvor-sadovaya-12-7",
     {7, 5, 4, 7},
     {"Меня сразу позвали на встречу, когда я переехала.", NULL, NULL, NULL}},
    {"dvor-sadovaya-12-8", {6, 6, 3, 6}, {NULL, NULL, NULL, NULL}},
    {"dvor-sadovaya-12-9", {7, 5, 4, 6}, {NULL, NULL, NULL, NULL}},
};

static const struct demo_answer GREEN[] = {
    {"zelenyj-kvartal-1", {8, 7, 6, 8}, {NULL, NULL, NULL, NULL}},
    {"zelenyj-kvartal-2", {6, 5, 6, 7}, {NULL, NULL, NULL, NULL}},
};

static const struct demo_answer SCHOOL[] = {
    {"organizer", {6, 5, 6, 5}, {NULL, NULL, NULL, NULL}},
    {"coordinator", {7, 5, 6, 6}, {NULL, NULL, NULL, NULL}},
    {"roditeli-shkoly-7-1", {5, 4, 7, 5}, {NULL, NULL, NULL, NULL}},
    {"roditeli-shkoly-7-2", {6, 3, 6, 4}, {NULL, NULL, NULL, NULL}},
    {"roditeli-shkoly-7-3", {7, 6, 7, 6}, {NULL, NULL, NULL, NULL}},
    {"roditeli-shkoly-7-4", {5, 4, 5, 5}, {NULL, NULL, NULL, NULL}},
};

/* A closed wave with answers, days counted from today. */
static int closed_wave(struct dbc *w, int64_t cid, int64_t from, int64_t to,
                       const struct demo_answer *a, size_t n)
{
    /* Answered first, then closed: closing mixes the box. */
    int64_t wave = 0;
    if (soc_wave_create(w, cid, from, to, now_s(), &wave) != WR_OK ||
        put_answers(w, cid, wave, a, n, from) != 0)
        return -1;
    return soc_wave_close(w, cid, wave) == WR_OK ? 0 : -1;
}

int demo_soc(struct dbc *w)
{
    int64_t t = now_s();
    int64_t day = 86400, today = t - t % day;
    int64_t dvor = demo_community(w, "dvor-sadovaya-12");
    int64_t green = demo_community(w, "zelenyj-kvartal");
    int64_t school = demo_community(w, "roditeli-shkoly-7");
    if (dvor <= 0 || green <= 0 || school <= 0) return -1;
    if (soc_settings_set(w, dvor, SOC_K_DEFAULT, 1) != WR_OK ||
        soc_settings_set(w, school, SOC_K_DEFAULT, 1) != WR_OK)
        return -1;
    if (closed_wave(w, dvor, today - 200 * day, today - 180 * day, SPRING, HR_ARRAY_LEN(SPRING)) ||
        closed_wave(w, dvor, today - 60 * day, today - 40 * day, AUTUMN, HR_ARRAY_LEN(AUTUMN)) ||
        closed_wave(w, school, today - 50 * day, today - 30 * day, SCHOOL, HR_ARRAY_LEN(SCHOOL)))
        return -1;
    int64_t open = 0;
    if (soc_wave_create(w, green, today - 3 * day, today + 11 * day, t, &open) != WR_OK) return -1;
    return put_answers(w, green, open, GREEN, HR_ARRAY_LEN(GREEN), t);
}
