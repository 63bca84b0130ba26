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
