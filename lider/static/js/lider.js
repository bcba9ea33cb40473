// Lider's own script: small progressive enhancements; every page works without it.
document.addEventListener("htmx:configRequest", (event) => {
  const token = document.querySelector("meta[name=csrf-token]");
  if (token) event.detail.headers["X-CSRFToken"] = token.content;
});

// Searchable pickers (lider/core/pickers.py): the list filters as one types. The request is the
// one the "Filter the list" button sends without JavaScript (the whole form, plus _picker);
// only the list of choices is replaced, so the focus stays in the search field and every
// checked item is kept (the server lists it under "Chosen").
function enhancePicker(picker) {
  const form = picker.closest("form");
  const input = picker.querySelector(".picker-search input[type=search]");
  const status = picker.querySelector(".picker-status");
  let choices = picker.querySelector(".picker-choices");
  if (!form || !input || !choices || !window.fetch || !window.DOMParser) return;
  // Filtering no longer needs the button; without it, Enter in another field saves the form.
  const button = picker.querySelector(".picker-filter");
  if (button) button.remove();
  let timer = null;
  let pending = null;

  function refresh() {
    if (pending) pending.abort();
    pending = new AbortController();
    const data = new FormData(form);
    data.set("_picker", picker.dataset.picker);
    fetch(form.getAttribute("action") || window.location.href, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      signal: pending.signal,
    })
      .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
      .then((html) => {
        const page = new DOMParser().parseFromString(html, "text/html");
        const fresh = page.getElementById(choices.id);
        const freshStatus = status && page.getElementById(status.id);
        if (fresh) {
          choices.replaceWith(fresh);
          choices = fresh;
        }
        if (freshStatus) status.textContent = freshStatus.textContent;
        pending = null;
      })
      .catch(() => {});
  }

  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      clearTimeout(timer);
      refresh();
    }
  });
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 250);
  });
  // A box checked while a list was on its way: ask again, so the answer knows of it.
  picker.addEventListener("change", (event) => {
    if (pending && ["checkbox", "radio"].includes(event.target.type)) refresh();
  });
}

document.querySelectorAll(".picker[data-picker]").forEach(enhancePicker);
