/* The budget area's struct (core/area.h). */
#include "areas/budget/budget.h"

const struct area budget_area = {
    .name = "budget",
    .seal_texts = budget_seal_texts,
    .person_export = budget_person_export,
};
