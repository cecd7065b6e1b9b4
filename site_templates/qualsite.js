/* qualsite: the figure's full-screen view, and the box an address highlights.

   qualsite's own small script: no library, nothing from the network, and a
   classic script (not a module), so that it also runs in a copy of the site
   opened from file://. Without it the figure, its links and the highlight
   of the box named by the address (CSS :target) all still work; it adds
   the "Enlarge" control and its view, which pans and zooms by keyboard,
   mouse and touch, and says which box is highlighted.

   Every word it shows is the page's own (the controls, the note that names
   the highlighted box), written by the templates in the site's language;
   the scale is a percentage as the page's language writes it.

   Material's instant navigation swaps pages without loading them: the
   script then sets each page up from Material's document$, and else once
   the page has loaded. */
(function () {
  "use strict";

  var STEP = 1.25; // one step of zoom
  var PX_PER_PT = 4 / 3; // Graphviz draws in points
  // The smallest label, in CSS pixels, when the view opens (a little over 12).
  var READABLE_PX = 12.5;
  var MAX_SCALE = 8;

  function setUpPage() {
    var blocks = document.querySelectorAll("[data-qs-figure]");
    for (var i = 0; i < blocks.length; i++) {
      enhance(blocks[i]);
    }
    highlightFromAddress();
  }

  function enhance(block) {
    if (block.getAttribute("data-qs-enhanced") === "yes") {
      return;
    }
    var svg = block.querySelector("svg.qs-figure__svg");
    var tools = block.querySelector(".qs-figure__tools");
    var dialog = block.querySelector("dialog.qs-viewer");
    var opener = tools && tools.querySelector("button");
    if (!svg || !opener || !dialog || typeof dialog.showModal !== "function") {
      return; // an old browser keeps the figure as it is on the page
    }
    block.setAttribute("data-qs-enhanced", "yes");
    viewer(svg, dialog, opener);
    tools.hidden = false;
  }

  function viewer(svg, dialog, opener) {
    var stage = dialog.querySelector(".qs-viewer__stage");
    var shown = dialog.querySelector(".qs-viewer__scale");
    var box = svg.viewBox.baseVal;
    var natural = { width: box.width * PX_PER_PT, height: box.height * PX_PER_PT };
    var scale = 1;
    var percent = percentFormat(dialog);
    var home = null; // where the drawing sits on the page while the view has it
    var pageStyle = null;

    function fitScale() {
      return Math.min(stage.clientWidth / natural.width, stage.clientHeight / natural.height);
    }

    function readableScale() {
      // The shortest label as drawn (in points), so that it opens readable.
      var texts = svg.querySelectorAll("text");
      var shortest = Infinity;
      for (var i = 0; i < texts.length; i++) {
        var height = texts[i].getBBox().height;
        if (height > 0 && height < shortest) {
          shortest = height;
        }
      }
      return shortest === Infinity ? 1 : READABLE_PX / (shortest * PX_PER_PT);
    }

    function limits() {
      return { low: Math.min(fitScale(), readableScale()) / 2, high: MAX_SCALE };
    }

    function setScale(next) {
      var range = limits();
      scale = Math.min(range.high, Math.max(range.low, next));
      svg.style.width = natural.width * scale + "px";
      svg.style.height = natural.height * scale + "px";
      shown.textContent = percent(Math.round(scale * 100));
    }

    // Zoom, keeping the point under (x, y) where it is: the pointer, or
    // else the middle of the screen.
    function zoomTo(next, x, y) {
      var area = stage.getBoundingClientRect();
      if (x === undefined) {
        x = area.left + stage.clientWidth / 2;
        y = area.top + stage.clientHeight / 2;
      }
      var before = svg.getBoundingClientRect();
      var across = (x - before.left) / before.width;
      var down = (y - before.top) / before.height;
      setScale(next);
      var after = svg.getBoundingClientRect();
      stage.scrollLeft += after.left + across * after.width - x;
      stage.scrollTop += after.top + down * after.height - y;
    }

    function bringIntoView(element) {
      var shape = element.getBoundingClientRect();
      var area = stage.getBoundingClientRect();
      stage.scrollLeft += shape.left + shape.width / 2 - (area.left + stage.clientWidth / 2);
      stage.scrollTop += shape.top + shape.height / 2 - (area.top + stage.clientHeight / 2);
    }

    function open() {
      home = { parent: svg.parentNode, next: svg.nextSibling };
      pageStyle = svg.getAttribute("style");
      // The drawing itself moves into the view (a copy would repeat its ids).
      svg.removeAttribute("style");
      svg.classList.add("qs-figure__svg--enlarged");
      stage.appendChild(svg);
      dialog.showModal();
      setScale(Math.max(fitScale(), readableScale()));
      var target = svg.querySelector(".qs-figure-target");
      if (target) {
        bringIntoView(target);
      } else {
        stage.scrollLeft = (stage.scrollWidth - stage.clientWidth) / 2;
        stage.scrollTop = 0;
      }
      stage.focus();
    }

    function putBack() {
      if (!home) {
        return;
      }
      svg.classList.remove("qs-figure__svg--enlarged");
      svg.style.width = "";
      svg.style.height = "";
      if (pageStyle === null) {
        svg.removeAttribute("style");
      } else {
        svg.setAttribute("style", pageStyle);
      }
      home.parent.insertBefore(svg, home.next);
      home = null;
      opener.focus();
    }

    opener.addEventListener("click", open);
    dialog.addEventListener("close", putBack);

    dialog.addEventListener("click", function (event) {
      var control = event.target.closest && event.target.closest("button");
      if (!control || !dialog.contains(control)) {
        return;
      }
      var zoom = control.getAttribute("data-qs-zoom");
      if (zoom === "in") {
        zoomTo(scale * STEP);
      } else if (zoom === "out") {
        zoomTo(scale / STEP);
      } else if (zoom === "fit") {
        zoomTo(fitScale());
      } else if (control.hasAttribute("data-qs-close")) {
        dialog.close();
      }
    });

    var MOVES = {
      ArrowLeft: [-1, 0],
      ArrowRight: [1, 0],
      ArrowUp: [0, -1],
      ArrowDown: [0, 1],
    };

    dialog.addEventListener("keydown", function (event) {
      // The theme's own keys (search, next page) must not act behind the view.
      event.stopPropagation();
      if (event.ctrlKey || event.metaKey || event.altKey) {
        return; // the browser's own zoom and shortcuts
      }
      var key = event.key;
      if (key === "+" || key === "=" || key === "Add") {
        zoomTo(scale * STEP);
      } else if (key === "-" || key === "_" || key === "Subtract") {
        zoomTo(scale / STEP);
      } else if (key === "0") {
        zoomTo(fitScale());
      } else if (MOVES[key]) {
        stage.scrollLeft += MOVES[key][0] * stage.clientWidth * 0.2;
        stage.scrollTop += MOVES[key][1] * stage.clientHeight * 0.2;
      } else {
        return;
      }
      event.preventDefault();
    });

    // Ctrl and the wheel (a touchpad's pinch too) zoom; the wheel alone scrolls.
    stage.addEventListener(
      "wheel",
      function (event) {
        if (!event.ctrlKey && !event.metaKey) {
          return;
        }
        event.preventDefault();
        var lines = event.deltaMode === 1 ? 33 : 1;
        zoomTo(scale * Math.pow(STEP, (-event.deltaY * lines) / 100), event.clientX, event.clientY);
      },
      { passive: false }
    );

    // One pointer drags the drawing about; two (fingers) pinch to zoom.
    var pointers = {};
    var drag = null;
    var pinch = null;
    var dragged = false;

    function down() {
      var ids = Object.keys(pointers);
      return ids.map(function (id) {
        return pointers[id];
      });
    }

    function spread(points) {
      return Math.hypot(points[0].x - points[1].x, points[0].y - points[1].y) || 1;
    }

    function startDrag(point) {
      drag = { x: point.x, y: point.y, left: stage.scrollLeft, top: stage.scrollTop };
    }

    stage.addEventListener("pointerdown", function (event) {
      if (event.pointerType === "mouse" && event.button !== 0) {
        return;
      }
      pointers[event.pointerId] = { x: event.clientX, y: event.clientY };
      var points = down();
      if (points.length === 1) {
        dragged = false;
        startDrag(points[0]);
      } else if (points.length === 2) {
        drag = null;
        pinch = { spread: spread(points), scale: scale };
      }
    });

    stage.addEventListener("pointermove", function (event) {
      if (!pointers[event.pointerId]) {
        return;
      }
      pointers[event.pointerId] = { x: event.clientX, y: event.clientY };
      var points = down();
      if (pinch && points.length >= 2) {
        dragged = true;
        zoomTo(
          (pinch.scale * spread(points)) / pinch.spread,
          (points[0].x + points[1].x) / 2,
          (points[0].y + points[1].y) / 2
        );
      } else if (drag) {
        var dx = event.clientX - drag.x;
        var dy = event.clientY - drag.y;
        if (!dragged && Math.abs(dx) + Math.abs(dy) > 4) {
          dragged = true;
          stage.setPointerCapture(event.pointerId);
          stage.classList.add("qs-viewer__stage--dragging");
        }
        if (dragged) {
          stage.scrollLeft = drag.left - dx;
          stage.scrollTop = drag.top - dy;
        }
      }
    });

    function lift(event) {
      delete pointers[event.pointerId];
      var points = down();
      if (points.length < 2) {
        pinch = null;
      }
      if (points.length === 1) {
        startDrag(points[0]); // one finger still down: it drags on
      } else if (points.length === 0) {
        drag = null;
        stage.classList.remove("qs-viewer__stage--dragging");
      }
    }

    stage.addEventListener("pointerup", lift);
    stage.addEventListener("pointercancel", lift);

    // A drag that ends over a box must not open it.
    stage.addEventListener(
      "click",
      function (event) {
        if (dragged) {
          event.preventDefault();
          event.stopPropagation();
          dragged = false;
        }
      },
      true
    );
  }

  // A whole percentage as the page's language writes it ("125%", "125 %"),
  // from the lang of the page (the site's language); "125%" on a page that
  // names no language, or in a browser without Intl.
  function percentFormat(element) {
    var holder = element.closest && element.closest("[lang]");
    var lang = holder ? holder.getAttribute("lang") : "";
    var plain = function (whole) {
      return whole + "%";
    };
    if (!lang || typeof Intl === "undefined") {
      return plain;
    }
    try {
      var format = new Intl.NumberFormat(lang, { style: "percent", maximumFractionDigits: 0 });
      return function (whole) {
        return format.format(whole / 100);
      };
    } catch (error) {
      return plain; // a lang the browser does not know
    }
  }

  // The box a link from a category page names (model/#figure-1-node-<id>):
  // CSS :target highlights it on a page that loaded; Material's instant
  // navigation changes the address without :target following, so the
  // class does it too, and the page says in words which box it is.
  function highlightFromAddress() {
    var earlier = document.querySelectorAll(".qs-figure-target");
    for (var i = 0; i < earlier.length; i++) {
      earlier[i].classList.remove("qs-figure-target");
    }
    var notes = document.querySelectorAll(".qs-figure__found");
    for (var j = 0; j < notes.length; j++) {
      notes[j].hidden = true;
    }
    var id = "";
    try {
      id = decodeURIComponent(location.hash.slice(1));
    } catch (error) {
      return;
    }
    var shape = id && document.getElementById(id);
    if (!shape || !shape.closest || !shape.closest("svg.qs-figure__svg")) {
      return;
    }
    shape.classList.add("qs-figure-target");
    var block = shape.closest("[data-qs-figure]");
    var title = shape.querySelector("title");
    var note = block && block.querySelector(".qs-figure__found");
    if (note && title) {
      note.querySelector(".qs-figure__found-name").textContent = title.textContent;
      note.hidden = false;
    }
  }

  window.addEventListener("hashchange", highlightFromAddress);
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setUpPage);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpPage);
  } else {
    setUpPage();
  }
})();
