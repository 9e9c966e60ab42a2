/* Place pickers (see the place_picker macro): the server sends buttons with data-place-id into
 * #pp-list-FIELD; choosing one fills the hidden input #pp-FIELD and shows "Name (CODE)" in the box.
 * Event delegation on the document, so buttons added later by htmx work without inline handlers. */
(function () {
  "use strict";

  function pickerOf(node) {
    return node && node.closest ? node.closest(".place-picker") : null;
  }

  function hiddenOf(picker) {
    return picker ? picker.querySelector('input[type="hidden"][id^="pp-"]') : null;
  }

  function listOf(picker) {
    return picker ? picker.querySelector(".pp-list") : null;
  }

  function setValue(hidden, value) {
    if (!hidden || hidden.value === value) return;
    hidden.value = value;
    hidden.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function closeAll(except) {
    document.querySelectorAll(".pp-list").forEach(function (list) {
      if (list !== except) list.innerHTML = "";
    });
  }

  function choose(button) {
    var target = button.getAttribute("data-target");
    var hidden = (target && document.getElementById("pp-" + target)) || hiddenOf(pickerOf(button));
    var picker = pickerOf(hidden) || pickerOf(button);
    var search = picker ? picker.querySelector(".pp-search") : null;
    var list = (target && document.getElementById("pp-list-" + target)) || listOf(picker);
    if (search) search.value = button.getAttribute("data-label") || button.textContent.trim();
    if (list) list.innerHTML = "";
    setValue(hidden, button.getAttribute("data-place-id"));
    if (search) search.focus();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-place-id]") : null;
    if (button && pickerOf(button)) {
      event.preventDefault();
      choose(button);
      return;
    }
    closeAll(listOf(pickerOf(event.target)));
  });

  /* Typing a new text forgets the place chosen before; clearing the box clears the field. */
  document.addEventListener("input", function (event) {
    if (event.target.classList && event.target.classList.contains("pp-search")) {
      setValue(hiddenOf(pickerOf(event.target)), "");
    }
  });

  document.addEventListener("keydown", function (event) {
    var picker = pickerOf(event.target);
    if (!picker) return;
    var list = listOf(picker);
    var buttons = list ? Array.prototype.slice.call(list.querySelectorAll("[data-place-id]")) : [];
    var at = buttons.indexOf(event.target);
    if (event.key === "Escape") {
      if (list && list.innerHTML) {
        list.innerHTML = "";
        event.preventDefault();
        picker.querySelector(".pp-search").focus();
      }
    } else if (event.key === "ArrowDown" && buttons.length) {
      event.preventDefault();
      buttons[Math.min(at + 1, buttons.length - 1)].focus();
    } else if (event.key === "ArrowUp" && buttons.length && at >= 0) {
      event.preventDefault();
      if (at === 0) picker.querySelector(".pp-search").focus();
      else buttons[at - 1].focus();
    } else if (event.key === "Enter" && event.target.classList.contains("pp-search")) {
      /* Enter in the box must not submit the form half-filled: pick the only match, if any. */
      event.preventDefault();
      if (buttons.length === 1) choose(buttons[0]);
      else if (buttons.length) buttons[0].focus();
    }
  });
})();
