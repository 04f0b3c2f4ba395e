/* The events area's demo (demo.c) and bench data (benchdata.c), the
 * area's .demo and .bench hooks. */
#ifndef HR_MEETING_DATA_H
#define HR_MEETING_DATA_H

struct dbc;
struct db;
struct bench_world;

int demo_meeting(struct dbc *w);
int benchdata_meeting(struct db *db, struct bench_world *bw);

#endif
