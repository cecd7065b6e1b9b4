/* qualsite: Material's search answers the words typed last, not every letter.

   Material sends its search worker one query for each key released, and
   the worker answers every one of them, in order. On a big study (50,000
   excerpts) a query for a common word takes a fifth of a second, so the
   reader waits for the results of "s", "su", "sup", ... before those of the
   word they finished typing: 1.4 s after the last key where one query
   alone takes 0.2 s.

   This script is loaded before Material's bundle (as one of the theme's
   "polyfills", in the page's head) and wraps the browser's Worker. While
   the worker is busy (building the index, or answering a query), a new
   query waits, and a newer one replaces it; when the worker answers, the
   answer to a query that has been overtaken is not shown, and the newest
   query goes out. Every other message passes as it was. Without the script
   (or in a browser it does not suit) Material's search works as before. */
(function () {
  "use strict";

  var SETUP = 0; // Material's search messages, by their type
  var READY = 1;
  var QUERY = 2;
  var RESULT = 3;

  var Original = window.Worker;
  if (typeof Original !== "function") {
    return;
  }

  function isMessage(value, type) {
    return value !== null && typeof value === "object" && value.type === type;
  }

  function NewestQueryWorker(url, options) {
    var worker = new Original(url, options);
    var send = Original.prototype.postMessage;
    var busy = false; // the worker holds a message it has not answered
    var waiting = null; // the newest query, not yet sent

    function sendNow(message, transfer) {
      busy = true;
      send.call(worker, message, transfer || []);
    }

    // Registered before any listener of Material's, so an overtaken answer
    // can be kept from it.
    worker.addEventListener("message", function (event) {
      var data = event.data;
      if (!isMessage(data, READY) && !isMessage(data, RESULT)) {
        return;
      }
      busy = false;
      if (waiting !== null) {
        var next = waiting;
        waiting = null;
        sendNow(next);
        if (isMessage(data, RESULT)) {
          event.stopImmediatePropagation(); // the reader has typed on since
        }
      }
    });

    worker.postMessage = function (message, transfer) {
      if (isMessage(message, QUERY) && busy) {
        waiting = message;
        return;
      }
      if (isMessage(message, QUERY) || isMessage(message, SETUP)) {
        sendNow(message, transfer);
        return;
      }
      send.call(worker, message, transfer || []);
    };
    return worker;
  }

  NewestQueryWorker.prototype = Original.prototype;
  window.Worker = NewestQueryWorker;
})();
