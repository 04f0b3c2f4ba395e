/* A small form of the assembly's page refused (a vote, the voting
 * window, a presence mark, an item's move, the meeting's state, a
 * decision's status): the assembly's page carries many such forms, one
 * per item or proposal, so the refused one comes back alone on a page of
 * its own, as a bad item or proposal does, with the message beside its
 * field and the input kept, posting to the same address. */
#include "areas/meeting/assembly.h"
#include "core/form.h"
#include "core/render.h"
#include "core/util.h"

#include <string.h>

void asm_refused(struct req *r, struct form *f, const char *title_key, const char *back,
                 const char *const *labels)
{
    json_t *v = req_own(r, json_pack("{ss ss ss ss ss sb sb}", "title", tr(r, title_key), "slug",
                                     r->comm->slug, "name", r->comm->name, "action", r->path,
                                     "back", back, "is_member", req_has(r, CAP_C_MEMBER),
                                     "is_organizer", req_has(r, CAP_C_ORGANIZE)));
    json_t *fields = json_array();
    for (int i = 0; f->fields && f->fields[i].name; i++) {
        const struct field *d = &f->fields[i];
        const char *kept = json_string_value(json_object_get(f->values, d->name));
        const char *err = json_string_value(json_object_get(f->errors, d->name));
        json_t *x = json_pack("{ss ss ss* ss* sb}", "name", d->name, "label",
                              tr(r, labels && labels[i] ? labels[i] : d->name), "value",
                              kept ? kept : "", "error", err, "required", d->required);
        if (d->kind == F_CHOICE && d->choices) {
            json_t *opts = json_array();
            for (int k = 0; d->choices[k]; k++)
                json_array_append_new(
                    opts, json_pack("{ss ss sb}", "value", d->choices[k], "label",
                                    tr(r, arena_printf(r->arena, "%s%s", d->label ? d->label : "",
                                                       d->choices[k])),
                                    "selected", kept && str_eq(kept, d->choices[k])));
            json_object_set_new(x, "options", opts);
        } else if (d->kind == F_TEXT && d->max > 200) {
            json_object_set_new(x, "is_long", json_true());
        }
        if (d->kind != F_CHECK)
            json_array_append_new(fields, x);
        else
            json_decref(x);
    }
    json_object_set_new(v, "fields", fields);
    render_form(r, 422, "meeting/refused", v, f);
}
