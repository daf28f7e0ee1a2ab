// corroborate workbench: the little the pages need beyond HTML forms. Loaded as a file (the
// Content-Security-Policy allows no inline script); every page works without it except taking
// a text selection as a new statement.
"use strict";

function codePoints(text) {
  // Python counts code points, the DOM counts UTF-16 units: an emoji is 1 and 2.
  return Array.from(text).length;
}

function pieceOf(node) {
  const el = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
  return el ? el.closest("[data-start]") : null;
}

// A DOM selection boundary as a character offset into the archived text.
function textOffset(root, node, offset) {
  if (node === root) {
    const child = root.childNodes[offset];
    return child && child.dataset ? Number(child.dataset.start) : Number(root.dataset.length);
  }
  const piece = pieceOf(node);
  if (!piece || !root.contains(piece)) return null;
  const start = Number(piece.dataset.start);
  if (node.nodeType === Node.TEXT_NODE) return start + codePoints(node.data.slice(0, offset));
  return start + (offset > 0 ? codePoints(piece.textContent) : 0);
}

function selectionSpan(root) {
  const sel = window.getSelection();
  if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
  const range = sel.getRangeAt(0);
  if (!root.contains(range.startContainer) || !root.contains(range.endContainer)) return null;
  const start = textOffset(root, range.startContainer, range.startOffset);
  const end = textOffset(root, range.endContainer, range.endOffset);
  if (start === null || end === null || end <= start) return null;
  return { start: start, end: end, text: range.toString() };
}

function setupAddStatement() {
  const root = document.getElementById("doc-text");
  const form = document.getElementById("add-statement");
  if (!root || !form) return;
  form.querySelectorAll("button.take").forEach(function (button) {
    // Keep the selection: a mousedown on the button would otherwise clear it first.
    button.addEventListener("mousedown", function (event) { event.preventDefault(); });
    button.addEventListener("click", function () {
      const part = button.dataset.part;
      const span = selectionSpan(root);
      const shown = form.querySelector('output[data-part="' + part + '"]');
      if (!span) {
        shown.textContent = "select words in the text above first";
        return;
      }
      form.elements[part + "_start"].value = String(span.start);
      form.elements[part + "_end"].value = String(span.end);
      shown.textContent = "“" + span.text + "” (" + span.start + "–" + span.end + ")";
    });
  });
  form.addEventListener("submit", function (event) {
    if (!form.elements.content_start.value) {
      event.preventDefault();
      form.querySelector('output[data-part="content"]').textContent =
        "take a selection as the content first";
    }
  });
}

function focusStatement(id) {
  document.querySelectorAll(".focus").forEach(function (el) { el.classList.remove("focus"); });
  let first = null;
  document.querySelectorAll("[data-statements]").forEach(function (mark) {
    if (mark.dataset.statements.split(" ").indexOf(id) >= 0) {
      mark.classList.add("focus");
      first = first || mark;
    }
  });
  const row = document.getElementById("stmt-" + id) || document.getElementById("s-" + id);
  if (row) {
    row.classList.add("focus");
    first = first || row;
  }
  if (first) first.scrollIntoView({ block: "center" });
  return Boolean(row || first);
}

function setupTimeline() {
  document.querySelectorAll("svg.timeline circle.stmt").forEach(function (circle) {
    function open() {
      const id = circle.dataset.statement;
      document.querySelectorAll("circle.stmt.active").forEach(function (c) {
        c.classList.remove("active");
      });
      circle.classList.add("active");
      focusStatement(id);
    }
    circle.addEventListener("click", open);
    circle.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") open();
    });
  });
}

function setupFragment() {
  const hash = decodeURIComponentSafe(window.location.hash.slice(1));
  if (hash.indexOf("s-") === 0) focusStatement(hash.slice(2));
}

function decodeURIComponentSafe(text) {
  try { return decodeURIComponent(text); } catch (e) { return ""; }
}

document.addEventListener("DOMContentLoaded", function () {
  setupAddStatement();
  setupTimeline();
  setupFragment();
});

// A judgement select (a credibility, an ACH cell) posts its form when changed; without
// script, the form's own button does the same.
function setupAutosubmit() {
  document.querySelectorAll("select.autosubmit").forEach(function (select) {
    const form = select.form;
    if (!form) return;
    form.querySelectorAll("button.nojs").forEach(function (b) { b.hidden = true; });
    select.addEventListener("change", function () { form.requestSubmit(); });
  });
}

document.addEventListener("DOMContentLoaded", setupAutosubmit);
