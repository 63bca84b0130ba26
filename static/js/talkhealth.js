import { initAll } from "../dist/nhsuk/nhsuk-frontend.min.js";

initAll();

// "Quote" sends the words selected inside that comment, when there are any; otherwise the
// server quotes the whole comment (as it does without JavaScript).
document.body.addEventListener("htmx:configRequest", (event) => {
  const source = event.detail.elt.dataset ? event.detail.elt.dataset.quoteSource : null;
  if (!source) return;
  const selection = window.getSelection();
  const comment = document.getElementById(source);
  if (selection && comment && !selection.isCollapsed && comment.contains(selection.anchorNode)) {
    event.detail.parameters.text = selection.toString();
  }
});

// Move focus into a reply form loaded in place, and to the first new reply after "Show more".
document.body.addEventListener("htmx:afterSwap", (event) => {
  const target = event.detail.target;
  const field = target.querySelector && target.querySelector("textarea");
  if (field && target.classList.contains("th-reply-slot")) {
    field.focus();
    const end = field.value.length;
    field.setSelectionRange(end, end);
  }
});

// Coding page: while focus is inside the form, j and k move between items, 1 to 9 tick or untick
// that theme on the current item, and s saves. Only inside the form, so typing elsewhere is safe.
const coding = document.querySelector("[data-coding]");
if (coding) {
  const items = [...coding.querySelectorAll("[data-coding-item]")];
  let current = 0;
  const show = (i) => {
    current = Math.max(0, Math.min(items.length - 1, i));
    items[current].focus();
  };
  coding.addEventListener("focusin", (event) => {
    const i = items.findIndex((item) => item.contains(event.target));
    if (i >= 0) current = i;
  });
  coding.addEventListener("keydown", (event) => {
    const field = event.target;
    const typing = ["TEXTAREA", "SELECT"].includes(field.tagName) || (field.tagName === "INPUT" && field.type !== "checkbox");
    if (!items.length || typing || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "j") show(current + 1);
    else if (event.key === "k") show(current - 1);
    else if (/^[1-9]$/.test(event.key)) {
      const box = items[current].querySelectorAll("input[type=checkbox]")[Number(event.key) - 1];
      if (box) box.click();
    } else if (event.key === "s") coding.requestSubmit();
    else return;
    event.preventDefault();
  });
}
