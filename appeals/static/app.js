// Progressive enhancement for the denial form; every action also works without it.
(function () {
  "use strict";

  // Fill the payer fields from a saved profile as soon as one is picked.
  function setupPayerProfiles() {
    var select = document.getElementById("payer_profile");
    if (!select) return;
    select.addEventListener("change", function () {
      if (!select.value) return;
      fetch("/payers/" + encodeURIComponent(select.value) + ".json", {
        credentials: "same-origin",
        headers: { Accept: "application/json" }
      })
        .then(function (response) {
          if (!response.ok) throw new Error("profile not found");
          return response.json();
        })
        .then(function (profile) {
          var values = {
            payer_name: profile.name,
            payer_kind: profile.kind,
            payer_id: profile.payer_id,
            payer_address: (profile.address || []).join("\n"),
            payer_fax: profile.fax,
            payer_phone: profile.phone,
            payer_window_days: profile.window_days == null ? "" : String(profile.window_days),
            payer_required_diagnoses: (profile.required_diagnoses || []).join(", "),
            payer_version: String(profile.version)
          };
          Object.keys(values).forEach(function (id) {
            var field = document.getElementById(id);
            if (field) field.value = values[id] || "";
          });
          announce("Payer fields filled from the saved profile " + profile.name + ".");
        })
        .catch(function () {
          announce("The saved profile could not be loaded; press Use this payer.");
        });
    });
  }

  // Suggest diagnosis codes with their titles as the user types.
  function setupDiagnosisSuggestions() {
    var input = document.getElementById("diagnoses");
    var list = document.getElementById("diagnosis-codes");
    if (!input || !list) return;
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var parts = input.value.split(/[\s,;]+/);
        var last = parts[parts.length - 1];
        if (last.length < 2) return;
        fetch("/api/codes?kind=diagnosis&q=" + encodeURIComponent(last), {
          credentials: "same-origin"
        })
          .then(function (response) { return response.ok ? response.json() : []; })
          .then(function (found) {
            var prefix = parts.slice(0, -1).join(", ");
            list.textContent = "";
            found.forEach(function (item) {
              var option = document.createElement("option");
              option.value = (prefix ? prefix + ", " : "") + item.code;
              option.textContent = item.code + ": " + item.meaning;
              list.appendChild(option);
            });
          });
      }, 200);
    });
  }

  // Move focus to the error summary so keyboard and screen-reader users find it.
  function focusErrors() {
    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();
  }

  function announce(text) {
    var region = document.getElementById("live-region");
    if (!region) {
      region = document.createElement("div");
      region.id = "live-region";
      region.setAttribute("role", "status");
      region.setAttribute("aria-live", "polite");
      region.className = "visually-hidden";
      document.body.appendChild(region);
    }
    region.textContent = text;
  }

  // Ask before downloading while letter edits are not saved yet.
  function setupUnsavedLetterWarning() {
    var form = document.querySelector("form.letter-edit");
    var link = document.getElementById("download");
    if (!form || !link) return;
    var dirty = false;
    form.addEventListener("input", function () { dirty = true; });
    link.addEventListener("click", function (event) {
      if (dirty && !window.confirm(
        "Your changes to the letter are not saved, so the download will not " +
        "have them. Download anyway? (Use Save and download to keep them.)")) {
        event.preventDefault();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupUnsavedLetterWarning();
    setupPayerProfiles();
    setupDiagnosisSuggestions();
    focusErrors();
  });
})();
