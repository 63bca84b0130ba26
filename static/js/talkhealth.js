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

// Errors answered to htmx requests show in place (talkhealth/htmx.py). A 4xx answer is always a
// fragment meant for the page, so django-htmx's DEBUG handler must not replace the page with it.
document.body.addEventListener("htmx:beforeOnLoad", (event) => {
  const status = event.detail.xhr.status;
  if (status >= 400 && status < 500) event.stopPropagation();
});

// A new attempt clears the refusal an earlier one left beside the element.
document.body.addEventListener("htmx:beforeRequest", (event) => {
  const next = event.detail.elt.nextElementSibling;
  if (next && next.classList.contains("th-htmx-refusal")) next.remove();
});

// Focus moves to what needs reading first in swapped-in content: an error summary, the urgent help
// card (marked with an empty data-th-focus), or else the first field with an error.
const FOCUS_FIRST = "[data-th-focus=''], .nhsuk-error-summary";
document.body.addEventListener("htmx:load", (event) => {
  const elt = event.detail.elt;
  if (elt === document.body || !elt.querySelector) return;
  let target = elt.matches(FOCUS_FIRST) ? elt : elt.querySelector(FOCUS_FIRST);
  if (!target) target = elt.querySelector(".nhsuk-form-group--error textarea, .nhsuk-form-group--error input");
  if (!target) return;
  if (!target.matches("input, textarea, select") && !target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
  target.focus();
});

// Server errors and lost connections are not swapped: say so beside the element.
function problemBeside(elt, text) {
  const summary = document.createElement("div");
  summary.className = "nhsuk-error-summary th-htmx-refusal";
  summary.tabIndex = -1;
  const alert = document.createElement("div");
  alert.setAttribute("role", "alert");
  const heading = document.createElement("h2");
  heading.className = "nhsuk-error-summary__heading";
  heading.textContent = "There is a problem";
  const body = document.createElement("p");
  body.textContent = text;
  alert.append(heading, body);
  summary.append(alert);
  const next = elt.nextElementSibling;
  if (next && next.classList.contains("th-htmx-refusal")) next.remove();
  elt.after(summary);
  summary.focus();
}
document.body.addEventListener("htmx:responseError", (event) => {
  problemBeside(event.detail.elt, "Sorry, something went wrong on our side. Try again in a few minutes.");
});
document.body.addEventListener("htmx:sendError", (event) => {
  problemBeside(event.detail.elt, "Talk Health could not be reached. Check your connection and try again.");
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

// Where focus goes after an in-place swap that removed the focused element (Follow, Unfollow, a
// posted reply): the server marks the new content with data-th-focus="<selector to focus>". An
// error summary or the urgent help card focused above keeps the focus: it must be read first.
document.body.addEventListener("htmx:afterSettle", () => {
  for (const marker of document.querySelectorAll("[data-th-focus]:not([data-th-focus=''])")) {
    const goal = document.querySelector(marker.dataset.thFocus);
    marker.removeAttribute("data-th-focus");
    const active = document.activeElement;
    const first = active && active.closest && active.closest(".th-urgent-help, .nhsuk-error-summary");
    if (goal && !first) goal.focus();
  }
});
