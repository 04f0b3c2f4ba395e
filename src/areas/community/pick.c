/* Choosing a member by name in a form, for the places where a select of
 * every member would be too long to draw (a community of thousands): the
 * person types a name; one match is taken, several are offered as a
 * select beside the field, with the typed name kept, so that the second
 * submission picks one of them. No JavaScript is needed, and the page that
 * shows the form reads no member list at all. */
#include "areas/community/community.h"
#include "core/app.h"
#include "core/db.h"
#include "core/form.h"
#include "core/util.h"

#include <jansson.h>
#include <stdlib.h>

/* The most candidates offered: a longer list means the name is too short
 * to choose by, and the person is told to type more of it. */
enum { PICK_CHOICES = 20 };

static int64_t id_in(json_t *rows, int64_t id)
{
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        if (json_integer_value(json_object_get(row, "id")) == id) return id;
    }
    return 0;
}

/* The only exact match of rows, or 0. */
static int64_t one_exact(json_t *rows)
{
    int64_t found = 0;
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        /* the model's "exact" is SQL's 0 or 1 */
        if (json_integer_value(json_object_get(row, "exact")) != 1) continue;
        if (found) return 0;
        found = json_integer_value(json_object_get(row, "id"));
    }
    return found;
}

int64_t member_pick(struct form *f, const char *id_field, const char *name_field)
{
    struct req *r = f->r;
    int64_t id = form_num(f, id_field, 0);
    if (json_object_get(f->errors, id_field) || json_object_get(f->errors, name_field)) return 0;
    const char *q = form_str(f, name_field);
    if (str_empty(q)) {
        if (!id) return 0;
        char *who = member_name_of(req_db(r), r->comm->id, id);
        int known = who != NULL;
        free(who);
        if (!known) form_error(f, id_field, "error.bad_choice");
        return known ? id : 0;
    }
    json_t *rows = member_find_by_name(req_db(r), r->comm->id, q, PICK_CHOICES + 1);
    if (!rows) {
        form_error(f, name_field, "error.busy");
        return 0;
    }
    int64_t found = 0;
    size_t n = json_array_size(rows);
    if (n == 0)
        form_error(f, name_field, "member.pick.none");
    else if (id && id_in(rows, id))
        found = id;
    else if ((found = one_exact(rows)) == 0 && n == 1)
        found = json_integer_value(json_object_get(json_array_get(rows, 0), "id"));
    if (!found && n > PICK_CHOICES) {
        form_error(f, name_field, "member.pick.more");
    } else if (!found && n > 0) {
        form_error(f, name_field, "member.pick.several");
        form_options(f, id_field, rows, "id", "display_name", NULL);
    }
    json_decref(rows);
    return found;
}
