// Check-in page: ask the browser where it is, then submit the normal HTML form.
// Without JavaScript, or when the person refuses, the form still submits (flagged).
(function () {
  var form = document.getElementById("presensi-form");
  if (!form) { return; }
  var status = document.getElementById("location-status");
  var button = document.getElementById("presensi-button");
  var fields = {
    lat: form.querySelector("[name=lat]"),
    lon: form.querySelector("[name=lon]"),
    accuracy: form.querySelector("[name=accuracy]")
  };
  var pending = false;
  var submitting = false;
  var label = button.textContent;

  function say(key, accuracy) {
    status.textContent = status.getAttribute("data-" + key).replace("{accuracy}", accuracy);
  }

  function send() {
    submitting = true;
    button.disabled = true;
    button.textContent = button.getAttribute("data-sending");
    form.submit();
    // A dropped connection leaves the page here: let the person try again. The server
    // records the day once, however many times the form arrives.
    window.setTimeout(function () {
      submitting = false;
      button.disabled = false;
      button.textContent = label;
    }, 10000);
  }

  if ("geolocation" in navigator) {
    pending = true;
    say("searching");
    navigator.geolocation.getCurrentPosition(function (position) {
      pending = false;
      fields.lat.value = position.coords.latitude.toFixed(6);
      fields.lon.value = position.coords.longitude.toFixed(6);
      fields.accuracy.value = Math.round(position.coords.accuracy);
      say("found", fields.accuracy.value);
    }, function () {
      pending = false;
      say("denied");
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  } else {
    say("denied");
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (submitting) { return; }
    if (navigator.onLine === false) { say("offline"); return; }
    if (!pending) { send(); return; }
    // Tapped before the location arrived: wait a little for it, then send anyway.
    say("waiting");
    var waited = 0;
    var timer = window.setInterval(function () {
      waited += 250;
      if (!pending || waited >= 5000) { window.clearInterval(timer); send(); }
    }, 250);
  });
})();
