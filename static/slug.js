/* Hramada: fills a community's address from its name as it is typed, the
   way the server suggests it when the field is left empty (the Russian
   passport transliteration; src/areas/community/slug.c holds the same
   table). A progressive extra: without it the server makes the address.
   Once the person edits the address themselves it is theirs and stays. */
(function () {
  "use strict";
  var T = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "і": "i", "ў": "u", "ї": "yi", "є": "ye", "ґ": "g"
  };
  function suggest(name) {
    var out = "", dash = false, s = name.toLowerCase();
    for (var i = 0; i < s.length; i++) {
      var ch = s.charAt(i), l = null;
      if (/[a-z0-9]/.test(ch)) l = ch;
      else if (Object.prototype.hasOwnProperty.call(T, ch)) l = T[ch];
      if (l === null) { dash = true; continue; }
      if (l === "") continue;
      if (dash && out.length) out += "-";
      dash = false;
      out += l;
    }
    if (out.length > 64) {
      out = out.slice(0, 64);
      var cut = out.lastIndexOf("-");
      if (cut >= 16) out = out.slice(0, cut);
    }
    return out.replace(/-+$/, "");
  }
  var slug = document.querySelector("input[data-from]");
  if (!slug) return;
  var name = document.getElementById(slug.getAttribute("data-from"));
  if (!name) return;
  var own = slug.value !== "" && slug.value !== suggest(name.value);
  slug.addEventListener("input", function () { own = slug.value !== ""; });
  name.addEventListener("input", function () { if (!own) slug.value = suggest(name.value); });
}());
