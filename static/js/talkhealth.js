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

// Move focus to the first field of a form loaded in place under a comment: the reply box, or the
// report form's reasons (before "Tell us more").
document.body.addEventListener("htmx:afterSwap", (event) => {
  const target = event.detail.target;
  if (!target.classList || !target.classList.contains("th-reply-slot")) return;
  const field = target.querySelector("input:not([type=hidden]), textarea, select");
  if (!field) return;
  field.focus();
  if (field.tagName === "TEXTAREA") {
    const end = field.value.length;
    field.setSelectionRange(end, end);
  }
});

// Where focus goes after an in-place swap that removed the focused element (Follow, Unfollow, a
// posted reply): the server marks the new content with data-th-focus="<selector to focus>".
document.body.addEventListener("htmx:afterSettle", () => {
  for (const marker of document.querySelectorAll("[data-th-focus]")) {
    const goal = document.querySelector(marker.dataset.thFocus);
    marker.removeAttribute("data-th-focus");
    if (goal) goal.focus();
  }
});
