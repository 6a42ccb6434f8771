// Small progressive enhancements; every page works without them.
document.addEventListener("change", (e) => {
  const t = e.target;
  if (t.classList && t.classList.contains("select-all")) {
    document.querySelectorAll('input[name="ids"][form="bulk"]').forEach((b) => { b.checked = t.checked; });
  }
});
document.addEventListener("click", (e) => {
  const t = e.target;
  if (t.classList && t.classList.contains("select-group")) {
    const ids = (t.dataset.ids || "").split(",");
    ids.forEach((id) => {
      const box = document.querySelector(`input[name="ids"][value="${id}"]`);
      if (box) box.checked = true;
    });
  }
});
