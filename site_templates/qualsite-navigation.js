/* qualsite: the site's navigation by keyboard.

   Material for MkDocs opens and closes its navigation with checkboxes and
   <label>s: the menu button that opens the drawer on a narrow screen, each
   section's arrow, the "back" arrow at the top of each level of the drawer.
   A label is no button: it is not announced as one, Space does nothing,
   and most cannot be reached by Tab. On a narrow screen the closed drawer
   sits off the screen and every link in it is still a Tab stop, as are the
   links of the levels that the open drawer hides.

   This script, classic (not a module) and with nothing from the network,
   so that it also runs in a copy of the site opened from file://:

   - makes each of those labels a <button> (with the same classes, so the
     theme draws it as before), named, saying whether it is expanded;
   - makes the closed drawer inert, and, while the drawer is open, the page
     behind it, so that Tab stays in what can be seen; focus moves into the
     drawer when it opens and back to the menu button when Escape closes it;
   - in the drawer, makes inert the levels that the shown one covers, and
     moves focus into a level it opens and back to the arrow that opened it;
   - leaves the palette switch one Tab stop that can be seen, and the
     hidden "Back to top" button none;
   - brings the focused element clear of what the browser leaves over it:
     the sticky title of a sidebar, the edge of a box that scrolls sideways.

   Without it the navigation works by mouse and touch as the theme made it. */
(function () {
  "use strict";

  // Material's drawer: every width below its desktop layout (76.25em).
  var DRAWER_WIDTHS = "(max-width: 76.234375em)";
  // The menu button's name when the page gives its label none (qualsite
  // names it in the site's language; this English one is a fallback).
  var MENU_NAME = "Navigation";
  // What this script made inert (only that is ever made active again).
  var INERT_MARK = "data-qs-inert";
  var FOCUSABLE =
    "a[href], button:not([disabled]), input:not([disabled]):not([type=hidden])," +
    " select, textarea, summary, [tabindex]:not([tabindex='-1'])";

  var media = window.matchMedia ? window.matchMedia(DRAWER_WIDTHS) : null;
  var drawerToggle = null; // input#__drawer
  var menuButton = null;
  var drawer = null; // .md-sidebar--primary
  var primary = null; // nav.md-nav--primary
  var converted = []; // {label, button, input} for each label control of the nav

  function inDrawerLayout() {
    return !!(media && media.matches);
  }

  function setInert(element, inert, mark) {
    if (inert) {
      if (!element.hasAttribute("inert")) {
        element.setAttribute("inert", "");
        element.setAttribute(INERT_MARK, mark);
      }
    } else if (element.getAttribute(INERT_MARK) === mark) {
      element.removeAttribute("inert");
      element.removeAttribute(INERT_MARK);
    }
  }

  function releaseAll(mark) {
    var marked = document.querySelectorAll("[" + INERT_MARK + '="' + mark + '"]');
    for (var i = 0; i < marked.length; i++) {
      setInert(marked[i], false, mark);
    }
  }

  // -- buttons for the theme's labels ------------------------------------------

  function buttonFor(label) {
    var button = document.createElement("button");
    button.type = "button";
    for (var i = 0; i < label.attributes.length; i++) {
      var attribute = label.attributes[i];
      // "for" stays: the theme's stylesheet finds its controls by it.
      if (attribute.name !== "tabindex" && attribute.name !== "hidden") {
        button.setAttribute(attribute.name, attribute.value);
      }
    }
    button.classList.add("qs-nav-button");
    var children = label.childNodes;
    for (var j = 0; j < children.length; j++) {
      button.appendChild(children[j].cloneNode(true));
    }
    return button;
  }

  function swap(from, to) {
    if (from.parentNode && from !== to) {
      var focused = document.activeElement === from;
      from.parentNode.replaceChild(to, from);
      if (focused) {
        to.focus({ preventScroll: true });
      }
    }
  }

  function expanded(input) {
    return input.checked || input.classList.contains("md-toggle--indeterminate");
  }

  // The level (<nav>) that a toggle opens: the one beside its checkbox.
  function levelOf(input) {
    var item = input.parentElement;
    return item ? item.querySelector(":scope > nav.md-nav") : null;
  }

  // A label of the navigation is a working control at this width: in the
  // drawer every one is; on a desktop the section headings and the drawer's
  // titles are not (the theme makes only the others focusable).
  function working(entry) {
    if (inDrawerLayout()) {
      return true;
    }
    return entry.label.getAttribute("tabindex") === "0";
  }

  function setUpNavigationButtons() {
    if (!primary || primary.hasAttribute("data-qs-buttons")) {
      return; // set up already (the theme replaces it on instant navigation)
    }
    primary.setAttribute("data-qs-buttons", "yes");
    converted = [];
    var labels = primary.querySelectorAll("label[for]");
    for (var i = 0; i < labels.length; i++) {
      var label = labels[i];
      var input = document.getElementById(label.htmlFor);
      if (!input || input === drawerToggle || input.type !== "checkbox") {
        continue;
      }
      var entry = { label: label, button: buttonFor(label), input: input };
      var level = levelOf(input);
      if (level) {
        if (!level.id) {
          level.id = input.id + "_level";
        }
        entry.button.setAttribute("aria-controls", level.id);
      }
      entry.button.addEventListener("click", toggleLevel.bind(null, entry));
      converted.push(entry);
    }
    placeNavigationButtons();
  }

  function placeNavigationButtons() {
    for (var i = 0; i < converted.length; i++) {
      var entry = converted[i];
      if (working(entry)) {
        swap(entry.label, entry.button);
      } else {
        swap(entry.button, entry.label);
      }
    }
    showExpanded();
  }

  function showExpanded() {
    for (var i = 0; i < converted.length; i++) {
      var entry = converted[i];
      var open = expanded(entry.input);
      entry.button.setAttribute("aria-expanded", open ? "true" : "false");
      var level = levelOf(entry.input);
      if (level && level.hasAttribute("aria-expanded")) {
        level.setAttribute("aria-expanded", open ? "true" : "false"); // as the theme keeps it
      }
    }
  }

  function toggleLevel(entry) {
    var input = entry.input;
    var opening = !expanded(input);
    input.classList.remove("md-toggle--indeterminate");
    input.checked = opening;
    input.dispatchEvent(new Event("change", { bubbles: true }));
    showExpanded();
    if (!inDrawerLayout() || !drawerToggle || !drawerToggle.checked) {
      return;
    }
    // In the drawer a level slides over the one that opened it: focus goes
    // with it, and back to the arrow that opened it when it closes.
    showLevels();
    if (opening) {
      var level = levelOf(input);
      focusFirstIn(level);
    } else {
      var toggle = toggleFor(input);
      if (toggle) {
        toggle.focus({ preventScroll: true });
      }
    }
  }

  // The arrow in the list (not the title at the top of the level) for input.
  function toggleFor(input) {
    for (var i = 0; i < converted.length; i++) {
      var entry = converted[i];
      if (entry.input === input && !entry.button.classList.contains("md-nav__title")) {
        return entry.button.parentNode ? entry.button : null;
      }
    }
    return null;
  }

  function focusFirstIn(container) {
    if (!container) {
      return false;
    }
    var candidates = container.querySelectorAll(FOCUSABLE);
    for (var i = 0; i < candidates.length; i++) {
      var candidate = candidates[i];
      if (!candidate.closest("[inert]") && candidate.getClientRects().length) {
        candidate.focus({ preventScroll: true });
        return document.activeElement === candidate;
      }
    }
    return false;
  }

  // -- the drawer's levels -----------------------------------------------------

  // The level the open drawer shows: the deepest whose toggles are all open.
  function shownLevel() {
    var level = primary;
    for (;;) {
      var next = null;
      var items = level.querySelectorAll(":scope > .md-nav__list > .md-nav__item");
      for (var i = 0; i < items.length; i++) {
        var input = items[i].querySelector(":scope > input.md-nav__toggle");
        var child = items[i].querySelector(":scope > nav.md-nav");
        if (input && child && input.checked) {
          next = child; // the last one open is drawn on top
        }
      }
      if (!next) {
        return level;
      }
      level = next;
    }
  }

  // Every control of a level hidden under the shown one, or off to its side,
  // is inert; so is nothing on a desktop.
  function showLevels() {
    releaseAll("level");
    if (!primary || !inDrawerLayout()) {
      return;
    }
    var shown = shownLevel();
    var controls = primary.querySelectorAll(FOCUSABLE);
    for (var i = 0; i < controls.length; i++) {
      var control = controls[i];
      if (control.closest("nav.md-nav") !== shown) {
        setInert(control, true, "level");
      }
    }
  }

  // -- the drawer --------------------------------------------------------------

  function setUpMenuButton() {
    var label = document.querySelector('.md-header label[for="__drawer"]');
    if (!label) {
      return;
    }
    menuButton = buttonFor(label); // with the label's aria-label, if it has one
    if (!menuButton.getAttribute("aria-label")) {
      menuButton.setAttribute("aria-label", MENU_NAME);
    }
    if (drawer) {
      if (!drawer.id) {
        drawer.id = "qs-drawer";
      }
      menuButton.setAttribute("aria-controls", drawer.id);
    }
    menuButton.addEventListener("click", function () {
      drawerToggle.click(); // as the label did: the theme hears a change
      if (drawerToggle.checked) {
        if (!focusFirstIn(shownLevel())) {
          focusFirstIn(drawer);
        }
      }
    });
    swap(label, menuButton);
  }

  // The drawer as its checkbox says, whatever changed it (the menu button,
  // the shaded page beside the drawer, the theme after a link is followed).
  function showDrawer() {
    if (!drawerToggle || !drawer) {
      return;
    }
    var open = drawerToggle.checked;
    var drawerLayout = inDrawerLayout();
    if (menuButton) {
      menuButton.setAttribute("aria-expanded", open && drawerLayout ? "true" : "false");
    }
    setInert(drawer, drawerLayout && !open, "drawer");
    releaseAll("behind");
    if (drawerLayout && open) {
      // The page behind the open drawer: every element beside the drawer
      // and beside each of its ancestors, up to <body>, but not the shade
      // that closes it when tapped, nor the checkboxes.
      for (var node = drawer; node && node !== document.body; node = node.parentElement) {
        var parent = node.parentElement;
        if (!parent) {
          break;
        }
        for (var child = parent.firstElementChild; child; child = child.nextElementSibling) {
          if (child === node || skipBehind(child)) {
            continue;
          }
          setInert(child, true, "behind");
        }
      }
    }
    showLevels();
    if (!open && drawer.contains(document.activeElement) && drawerLayout && menuButton) {
      menuButton.focus();
    }
  }

  function skipBehind(element) {
    var name = element.tagName;
    return (
      name === "SCRIPT" ||
      name === "STYLE" ||
      name === "LINK" ||
      name === "INPUT" ||
      element.classList.contains("md-overlay")
    );
  }

  function onKeydown(event) {
    if (event.key !== "Escape" || event.defaultPrevented) {
      return;
    }
    if (drawerToggle && drawerToggle.checked && inDrawerLayout()) {
      event.preventDefault();
      drawerToggle.click();
      if (menuButton) {
        menuButton.focus();
      }
    }
  }

  // -- the palette switch ------------------------------------------------------

  // The theme's palette switch is a group of radio buttons, none of them
  // checked, each drawn by the label after it, of which only the current
  // palette's shows: Tab reaches the first radio and Shift+Tab the last, one
  // of which is drawn by a hidden label, and its focus is not seen. With
  // the current palette's radio checked (as the theme leaves it once the
  // palette is switched) the group is one Tab stop, the one that shows.
  function checkCurrentPalette() {
    var options = document.querySelectorAll("input.md-option[name='__palette']");
    for (var i = 0; i < options.length; i++) {
      if (options[i].checked) {
        return;
      }
    }
    for (var j = 0; j < options.length; j++) {
      var label = options[j].nextElementSibling;
      if (label && label.tagName === "LABEL" && !label.hidden) {
        options[j].checked = true;
        return;
      }
    }
  }

  // -- what covers the focused element ----------------------------------------

  // The theme's "Back to top" button is hidden by transparency: until the
  // theme first shows it (after the page is scrolled), it is a Tab stop
  // that cannot be seen. The theme itself takes it out of the Tab order
  // each time it hides it, and back in when it shows it.
  function hideBackToTop() {
    var top = document.querySelector(".md-top");
    if (top && top.hidden && !top.hasAttribute("tabindex")) {
      top.setAttribute("tabindex", "-1");
    }
  }

  // The browser scrolls the focused element into view, but leaves one that
  // is half out of a box that scrolls sideways (a grid of the matrices, a
  // table) where it is, and does not know of the sidebar's title, which
  // sticks at its top: the element is brought clear of both.
  function keepClear(event) {
    var element = event.target;
    if (!(element instanceof Element) || element === document.body) {
      return;
    }
    for (var box = element.parentElement; box && box !== document.body; box = box.parentElement) {
      if (box.scrollWidth > box.clientWidth + 1) {
        var style = getComputedStyle(box);
        if (style.overflowX === "auto" || style.overflowX === "scroll") {
          var inner = element.getBoundingClientRect();
          var start = box.getBoundingClientRect().left + box.clientLeft;
          var left = start + (parseFloat(style.scrollPaddingLeft) || 0);
          var right = start + box.clientWidth - (parseFloat(style.scrollPaddingRight) || 0);
          if (inner.width <= right - left && (inner.left < left - 1 || inner.right > right + 1)) {
            element.scrollIntoView({ block: "nearest", inline: "nearest" });
          }
          break;
        }
      }
    }
    var wrap = element.closest(".md-sidebar__scrollwrap");
    var nav = wrap && element.closest(".md-nav");
    var title = null;
    for (var level = nav; level && !title; level = level.parentElement.closest(".md-nav")) {
      var candidate = level.querySelector(":scope > .md-nav__title");
      if (candidate && getComputedStyle(candidate).position === "sticky") {
        title = candidate;
      }
    }
    if (title && !title.contains(element)) {
      var covered = title.getBoundingClientRect().bottom - element.getBoundingClientRect().top;
      if (covered > 0) {
        wrap.scrollTop -= Math.ceil(covered) + 4;
      }
    }
  }

  // -- set-up ------------------------------------------------------------------

  function setUpPage() {
    checkCurrentPalette();
    hideBackToTop();
    drawerToggle = document.getElementById("__drawer");
    drawer = document.querySelector(".md-sidebar--primary");
    primary = drawer ? drawer.querySelector("nav.md-nav--primary") : null;
    if (!drawerToggle || !drawer) {
      return;
    }
    if (!drawerToggle.hasAttribute("data-qs-watched")) {
      drawerToggle.setAttribute("data-qs-watched", "yes");
      drawerToggle.addEventListener("change", showDrawer);
    }
    if (!document.querySelector(".md-header .qs-nav-button")) {
      setUpMenuButton();
    }
    setUpNavigationButtons();
    showDrawer();
  }

  function onLayoutChange() {
    placeNavigationButtons();
    showDrawer();
  }

  document.addEventListener("keydown", onKeydown);
  document.addEventListener("focusin", keepClear);
  if (media) {
    if (typeof media.addEventListener === "function") {
      media.addEventListener("change", onLayoutChange);
    } else if (typeof media.addListener === "function") {
      media.addListener(onLayoutChange);
    }
  }
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setUpPage);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpPage);
  } else {
    setUpPage();
  }
})();
