// The password-reset link carries its code after "#": browsers never send that part to a
// server, so no log between here and Django sees it (accounts.password_reset). Move it into
// the form, drop it from the address bar and history, and post it.
(function () {
  "use strict";
  var form = document.getElementById("reset-code");
  var code = window.location.hash.slice(1);
  if (!form || !code) {
    return;
  }
  window.history.replaceState(null, "", window.location.pathname);
  form.elements.code.value = decodeURIComponent(code);
  form.submit();
})();
