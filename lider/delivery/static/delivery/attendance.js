// The attendance list: each tap is one small POST (htmx). If a mark cannot be saved (no
// network, an error), the person's row is outlined and says so, so no mark is lost unseen.
document.addEventListener("htmx:beforeSwap", showRefusal);
document.addEventListener("htmx:sendError", flag);
document.addEventListener("htmx:responseError", flag);
document.addEventListener("htmx:timeout", flag);

function flag(event) {
  const row = event.detail.elt && event.detail.elt.closest("li.attendee");
  if (!row) return;
  row.classList.add("unsaved");
  let note = row.querySelector(".unsaved-note");
  if (!note) {
    note = document.createElement("small");
    note.className = "error unsaved-note";
    note.setAttribute("role", "alert");
    row.appendChild(note);
  }
  note.textContent = row.closest("ol").dataset.unsaved || "Not saved";
}

// A refused mark (403: a trainer at a session they do not lead) comes back as the row with the
// reason; show it instead of the "not saved, check the connection" note.
function showRefusal(event) {
  if (event.detail.xhr.status !== 403) return;
  if (!event.detail.elt || !event.detail.elt.closest("li.attendee")) return;
  event.detail.shouldSwap = true;
  event.detail.isError = false;
}
