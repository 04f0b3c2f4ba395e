/* The adoption rule and the checks of the typical mistakes: plain
 * functions of the data, no SQL, tested on their own. */
#include "areas/strategy/strategy.h"

int adoption_passes(const struct adoption *a)
{
    int64_t voters = a->yes + a->no;
    if (a->yes < 2 || voters <= 0) return 0; /* one person alone never adopts a value */
    if (a->yes * 2 <= voters) return 0;      /* more than half of those who voted */
    if (a->yes * 100 < voters * a->majority_pct) return 0;
    if (voters * 100 < a->members * a->quorum_pct) return 0;
    return 1;
}

enum adoption_state adoption_settled(const struct adoption *a)
{
    int64_t left = a->members - a->yes - a->no; /* members who may still vote */
    if (left < 0) left = 0;
    struct adoption all_no = *a, all_yes = *a;
    all_no.no += left;
    all_yes.yes += left;
    /* Each condition of the rule moves one way with more no votes: the
     * majority gets worse, the quorum better. So the value passes whatever
     * the others do (vote no or not at all) when it passes both now and
     * with every remaining member against. Every condition improves with
     * more yes votes, so it fails whatever happens when it fails even with
     * every remaining member for. */
    if (adoption_passes(a) && adoption_passes(&all_no)) return ADOPT_ADOPTED;
    if (!adoption_passes(&all_yes)) return ADOPT_REJECTED;
    return ADOPT_OPEN;
}

enum adoption_state adoption_decide(const struct adoption *a)
{
    if (!a->closed) return adoption_settled(a);
    return adoption_passes(a) ? ADOPT_ADOPTED : ADOPT_REJECTED;
}

static void set(struct check_result *c, enum check_status s, const char *reason, int64_t n,
                const char *subject)
{
    c->status = s;
    c->reason = reason;
    c->n = n;
    c->subject = subject;
}

/* "More than a few" members: beyond this one organizer is not enough. */
enum { FEW_MEMBERS = 5, MANY_OPEN_ACTIONS = 3 };

static void check_rules_values(const struct strategy_facts *f, struct check_result *c)
{
    c->id = "rules_values";
    if (f->rules_without_value > 0)
        set(c, CHECK_PROBLEM, "unprotected", f->rules_without_value, f->rule_without_value);
    else if (f->rules == 0) /* nothing to check yet: not "all is well" */
        set(c, CHECK_OK, "nothing", 0, NULL);
    else
        set(c, CHECK_OK, "ok", f->rules, NULL);
}

static void check_one_person(const struct strategy_facts *f, struct check_result *c)
{
    c->id = "one_person";
    if (f->open_actions >= MANY_OPEN_ACTIONS && f->top_owner_open * 2 > f->open_actions)
        set(c, CHECK_PROBLEM, "owner", f->top_owner_open, f->top_owner);
    else if (f->organizers <= 1 && f->members > FEW_MEMBERS)
        set(c, CHECK_WARNING, "organizer", f->members, NULL);
    else
        set(c, CHECK_OK, "ok", f->organizers, NULL);
}

static void check_values_owned(const struct strategy_facts *f, struct check_result *c)
{
    c->id = "values_owned";
    if (f->adopted_without_roots > 0)
        set(c, CHECK_PROBLEM, "no_roots", f->adopted_without_roots, f->weak_value);
    else if (f->adopted_few_voters > 0)
        set(c, CHECK_WARNING, "few_voters", f->adopted_few_voters, f->weak_value);
    else if (f->adopted_values == 0)
        set(c, CHECK_WARNING, "none", 0, NULL);
    else
        set(c, CHECK_OK, "ok", f->adopted_values, NULL);
}

static void check_goals_actions(const struct strategy_facts *f, struct check_result *c)
{
    c->id = "goals_actions";
    if (f->strategic_empty > 0)
        set(c, CHECK_PROBLEM, "empty_goal", f->strategic_empty, f->empty_goal);
    else if (f->tactical_empty > 0)
        set(c, CHECK_WARNING, "empty_tactical", f->tactical_empty, f->empty_goal);
    else if (f->actions_no_owner + f->actions_no_date > 0)
        set(c, CHECK_WARNING, "loose_actions", f->actions_no_owner + f->actions_no_date, NULL);
    else if (f->strategic_goals == 0)
        set(c, CHECK_WARNING, "no_goals", 0, NULL);
    else
        set(c, CHECK_OK, "ok", f->actions, NULL);
}

static void check_no_rules(const struct strategy_facts *f, struct check_result *c)
{
    c->id = "no_rules";
    if (f->goals > 0 && f->rules == 0)
        set(c, CHECK_PROBLEM, "missing", f->goals, NULL);
    else if (f->rules == 0)
        set(c, CHECK_OK, "nothing", 0, NULL);
    else
        set(c, CHECK_OK, "ok", f->rules, NULL);
}

enum check_status strategy_checks(const struct strategy_facts *f,
                                  struct check_result out[STRATEGY_CHECKS])
{
    check_rules_values(f, &out[0]);
    check_one_person(f, &out[1]);
    check_values_owned(f, &out[2]);
    check_goals_actions(f, &out[3]);
    check_no_rules(f, &out[4]);
    enum check_status worst = CHECK_OK;
    for (int i = 0; i < STRATEGY_CHECKS; i++)
        if (out[i].status > worst) worst = out[i].status;
    return worst;
}

static int64_t parent_of(const int64_t *ids, const int64_t *parents, int n, int64_t id)
{
    for (int i = 0; i < n; i++)
        if (ids[i] == id) return parents[i];
    return 0;
}

int goal_would_cycle(const int64_t *ids, const int64_t *parents, int n, int64_t goal,
                     int64_t parent)
{
    /* Walk up from the new parent; meeting the goal means a cycle. The walk
     * is bounded by n steps, so a cycle already in the data ends too. */
    int64_t at = parent;
    for (int steps = 0; at != 0 && steps <= n; steps++) {
        if (at == goal) return 1;
        at = parent_of(ids, parents, n, at);
    }
    return at != 0;
}
