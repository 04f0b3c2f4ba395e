/*
 * A gate: at most a fixed number of holders at once, and no queue.
 *
 * Password hashing (argon2id) is the one costly piece of work that anyone
 * can make the server do at will: each sign-in with a random handle costs
 * a hash of 64 MiB and ~100 ms of a core. Unbounded, 32 clients posting
 * sign-ins kept every worker hashing and the home page went from 4 ms to
 * 4.5 s. The gate lets at most half the workers hash; a sign-in that finds
 * it full is answered at once ("many sign-ins right now, try again in a
 * few seconds") instead of waiting, because a waiting worker serves no
 * page either.
 */
#ifndef HR_GATE_H
#define HR_GATE_H

struct gate;

/* A gate for max holders (at least 1). Owned by the caller: gate_free. */
struct gate *gate_new(int max);
void gate_free(struct gate *g);
/* 1 and holds a place when one is free; 0 when the gate is full. */
int gate_try_enter(struct gate *g);
void gate_leave(struct gate *g);
/* The number of holders now (for tests and the health page). */
int gate_holders(struct gate *g);

#endif
