/* The press release's change form: nothing typed is lost by leaving the page.
 *
 * - Leaving a form with unsaved changes asks first (beforeunload).  Pressing
 *   any of the form's own buttons (Save, a workflow button) is not leaving:
 *   the server saves the form before a workflow button acts.
 * - A workflow button whose note or embargo is required makes that field
 *   required for its own press only, so that Save is never blocked by the
 *   note of a button not pressed.
 *
 * A static file: the Content Security Policy allows no inline script.
 */
document.addEventListener("DOMContentLoaded", function () {
    "use strict";

    var form = document.getElementById("pressrelease_form");
    if (!form) {
        return;
    }
    var dirty = false;

    function markDirty() {
        dirty = true;
    }
    form.addEventListener("input", markDirty);
    form.addEventListener("change", markDirty);
    // The autocompletes (select2) announce a person's choice through jQuery
    // only (their own "change" also fires while they start up: not an edit).
    if (window.django && window.django.jQuery) {
        window.django.jQuery(form).on("select2:select select2:unselect", markDirty);
    }
    // Adding or removing a row of pictures, contacts or issuers is an edit too.
    form.addEventListener("click", function (event) {
        if (event.target.closest(".add-row a, .inline-deletelink")) {
            markDirty();
        }
    });
    form.addEventListener("submit", function () {
        dirty = false;
    });

    window.addEventListener("beforeunload", function (event) {
        if (!dirty) {
            return undefined;
        }
        event.preventDefault();
        event.returnValue = "";
        return "";
    });

    document.addEventListener("click", function (event) {
        var button = event.target.closest("button[type=submit], input[type=submit]");
        if (!button || button.form !== form) {
            return;
        }
        var pressed = button.name === "_transition" ? button.value : null;
        document.querySelectorAll("[data-wf-required]").forEach(function (field) {
            field.required = field.getAttribute("data-wf-required") === pressed;
        });
    });
});
