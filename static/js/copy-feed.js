// "Copy" buttons of the News feeds page: shown only where the clipboard
// works; without JavaScript the address is still there to select.
document.addEventListener("DOMContentLoaded", () => {
  if (!navigator.clipboard) return;
  for (const button of document.querySelectorAll("[data-copy]")) {
    const input = document.getElementById(button.dataset.copy);
    if (!input) continue;
    button.hidden = false;
    button.addEventListener("click", async () => {
      input.select();
      try {
        await navigator.clipboard.writeText(input.value);
        button.firstChild.textContent = "Copied";
      } catch {
        button.firstChild.textContent = "Select and copy";
      }
    });
  }
});
