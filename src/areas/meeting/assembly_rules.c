/* The arithmetic of assemblies: quorum and thresholds, in integers (no
 * rounding of shares: a two-thirds majority of 7 is 5, because 3 * 5 >=
 * 2 * 7). Pure, for the unit tests. */
#include "areas/meeting/assembly.h"
#include "core/util.h"

const char *const asm_kinds[] = {"assembly", "meeting", "hearing", NULL};
const char *const asm_quorum_kinds[] = {"share", "number", NULL};
const char *const asm_thresholds[] = {"simple", "two_thirds", "consent", NULL};
const char *const asm_secrecies[] = {"open", "secret", NULL};
const char *const asm_choices[] = {"for", "against", "abstain", NULL};

int64_t asm_quorum_needed(const char *kind, int64_t value, int64_t members)
{
    if (members < 0) members = 0;
    if (str_eq(kind, "share")) {
        if (value < 1 || value > 100) return -1;
        int64_t n = (members * value + 99) / 100;
        return n < 1 ? 1 : n;
    }
    if (str_eq(kind, "number")) {
        if (value < 1 || value > 100000) return -1;
        return value;
    }
    return -1;
}

int asm_quorum_reached(const char *kind, int64_t value, int64_t members, int64_t present)
{
    int64_t need = asm_quorum_needed(kind, value, members);
    if (need < 0) return -1;
    return present >= need;
}

int asm_adopted(const char *threshold, int64_t yes, int64_t no, int64_t abstain, int64_t present,
                int64_t objections)
{
    if (str_eq(threshold, "consent")) return objections == 0;
    int64_t cast = yes + no + abstain;
    if (present < cast) present = cast;
    if (str_eq(threshold, "simple")) return present > 0 && yes * 2 > present;
    if (str_eq(threshold, "two_thirds")) return present > 0 && yes * 3 >= present * 2;
    return -1;
}
