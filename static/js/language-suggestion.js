// "This newsroom is also in اردو": offered when the browser's preferred
// languages put one of the newsroom's other editions before the language of
// this page.  Only a suggestion: the URL alone decides a page's language
// (core/i18n.py), so nothing the server sends varies and every cache stays
// valid.  Dismissed once, it is not offered again (localStorage).
// The sentences come from the language switcher's links (data-suggestion,
// data-dismiss), written in the language they offer.
document.addEventListener("DOMContentLoaded", () => {
  const KEY = "newsroom.language-suggestion.dismissed";
  try {
    if (localStorage.getItem(KEY)) return;
  } catch {
    return; // storage blocked: better never than on every page
  }
  const base = (code) => (code || "").toLowerCase().split("-")[0];
  const page = base(document.documentElement.lang);
  const links = [...document.querySelectorAll(".language-switcher a[data-suggestion]")];
  const preferred = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language];
  let offer = null;
  for (const code of preferred.map(base)) {
    if (code === page) return; // the reader prefers this page's language
    offer = links.find((link) => base(link.hreflang) === code);
    if (offer) break;
  }
  if (!offer) return;

  const box = document.createElement("div");
  box.className = "language-suggestion";
  box.setAttribute("role", "region");
  box.setAttribute("aria-label", offer.dataset.suggestion);
  box.lang = offer.lang;
  box.dir = offer.dir;
  const inner = document.createElement("div");
  inner.className = "container language-suggestion__inner";
  const text = document.createElement("p");
  const link = document.createElement("a");
  link.href = offer.getAttribute("href");
  link.hreflang = offer.hreflang;
  link.textContent = offer.dataset.suggestion;
  text.append(link);
  const dismiss = document.createElement("button");
  dismiss.type = "button";
  dismiss.textContent = offer.dataset.dismiss;
  dismiss.addEventListener("click", () => {
    try {
      localStorage.setItem(KEY, "1");
    } catch {
      // nothing to remember it in; it goes away for this page all the same
    }
    box.remove();
  });
  inner.append(text, dismiss);
  box.append(inner);
  const skip = document.querySelector(".skip-link");
  (skip || document.body.firstChild).after(box);
});
