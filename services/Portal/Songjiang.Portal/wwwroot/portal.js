// Progressive enhancement only: every page works without this script. Texts come from the page (resource files).
(() => {
  "use strict";

  const format = (template, value) => (template || "").replace("{0}", value);

  // Upload progress: a form marked data-upload-progress is sent with XMLHttpRequest so the browser reports how much
  // of the files has gone; the server's answer (a redirect or the form with its errors) then replaces the page.
  function enhanceUploads(root) {
    root.querySelectorAll("form[data-upload-progress]").forEach((form) => {
      if (form.dataset.enhanced) return;
      form.dataset.enhanced = "1";
      form.addEventListener("submit", (event) => {
        const files = [...form.querySelectorAll("input[type=file]")].some((input) => input.files && input.files.length > 0);
        if (!files || !window.FormData || !form.checkValidity()) return;
        event.preventDefault();
        const box = form.querySelector("[data-upload-box]");
        const bar = form.querySelector("progress[data-upload-bar]");
        const status = form.querySelector("[data-upload-status]");
        const data = new FormData(form);
        if (event.submitter && event.submitter.name) data.append(event.submitter.name, event.submitter.value);
        form.querySelectorAll("button[type=submit]").forEach((b) => { b.disabled = true; });
        if (box) box.hidden = false;
        const xhr = new XMLHttpRequest();
        xhr.open("POST", form.action || window.location.href);
        let spoken = -1;
        xhr.upload.addEventListener("progress", (e) => {
          if (!e.lengthComputable) return;
          const percent = Math.floor((e.loaded * 100) / e.total);
          if (bar) bar.value = percent;
          // Screen readers hear every quarter, not every packet.
          if (status && (percent - spoken >= 25 || percent === 100)) {
            spoken = percent;
            status.textContent = format(status.dataset.template, percent);
          }
        });
        xhr.addEventListener("load", () => {
          const doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
          if (xhr.responseURL && xhr.responseURL !== window.location.href) {
            window.history.pushState(null, "", xhr.responseURL);
          }
          document.title = doc.title;
          document.body.replaceWith(doc.body);
          init(document);
          const heading = document.querySelector("[role=alert], .field-errors, h1");
          if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
        });
        xhr.addEventListener("error", () => {
          form.querySelectorAll("button[type=submit]").forEach((b) => { b.disabled = false; });
          if (status) status.textContent = status.dataset.failed || "";
        });
        xhr.send(data);
      });
    });
  }

  // Unread badge and live messages: the portal relays the notification stream with the session's token.
  let source = null;
  function live(root) {
    const badge = root.querySelector("[data-unread-badge]");
    if (!badge || !window.EventSource) return;
    const count = badge.querySelector("[data-unread-count]");
    const label = badge.querySelector("[data-unread-label]");
    let unread = 0;
    const show = () => {
      count.textContent = unread > 99 ? "99+" : String(unread);
      count.hidden = unread === 0;
      label.textContent = unread > 0 ? format(badge.dataset.template, unread) : "";
    };
    fetch("/api/portal/notifications/unread-count", { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((r) => (r.ok ? r.json() : null))
      .then((body) => { if (body) { unread = body.unread; show(); } })
      .catch(() => {});
    if (source) source.close();
    source = new EventSource("/api/portal/notifications/stream");
    source.addEventListener("notification", (event) => {
      let message;
      try { message = JSON.parse(event.data); } catch { return; }
      if (!message.read) { unread += 1; show(); }
      const list = document.querySelector("[data-notification-list]");
      const announce = document.getElementById("notification-live");
      if (announce) announce.textContent = format(announce.dataset.template, message.title);
      if (list && !list.querySelector(`[data-id="${message.id}"]`)) {
        const item = document.createElement("li");
        item.className = "notification notification--unread notification--new";
        item.dataset.id = message.id;
        const title = document.createElement("h2");
        title.className = "notification__title";
        title.id = `n-${message.id}`;
        const href = portalLink(message.link);
        if (href) {
          const a = document.createElement("a");
          a.href = href;
          a.textContent = message.title;
          title.appendChild(a);
        } else {
          title.textContent = message.title;
        }
        const meta = document.createElement("p");
        meta.className = "muted";
        meta.textContent = message.categoryName;
        if (message.createdAt) {
          const time = document.createElement("time");
          time.dateTime = message.createdAt;
          time.textContent = chinaTime(message.createdAt);
          meta.append(" · ", time);
        }
        const body = document.createElement("p");
        body.textContent = message.body;
        const article = document.createElement("article");
        article.setAttribute("aria-labelledby", title.id);
        article.append(title, meta, body);
        if (!message.read) {
          const badge = document.createElement("span");
          badge.className = "badge badge--info";
          badge.textContent = list.dataset.unreadText || "";
          title.append(" ", badge);
          const form = markReadForm(list, message);
          if (form) article.append(form);
        }
        item.append(article);
        list.prepend(item);
        const empty = document.querySelector("[data-notification-empty]");
        if (empty) empty.remove();
      }
    });
  }

  // The page's own "mark read" form for a message that arrived live: it posts the handler the page renders for every
  // message of its first page (read-{id}), with the page's antiforgery token.
  function markReadForm(list, message) {
    const token = document.querySelector("input[name=__RequestVerificationToken]");
    if (!token || !list.dataset.markReadText) return null;
    const form = document.createElement("form");
    form.method = "post";
    form.className = "inline-form";
    const handler = document.createElement("input");
    handler.type = "hidden";
    handler.name = "_handler";
    handler.value = `read-${message.id}`;
    const button = document.createElement("button");
    button.type = "submit";
    button.className = "btn";
    button.textContent = list.dataset.markReadText;
    button.setAttribute("aria-label", format(list.dataset.markReadLabel, message.title));
    form.append(handler, token.cloneNode(), button);
    return form;
  }

  // China time, as the server writes it: 2026-12-07 09:30 (+08:00).
  function chinaTime(iso) {
    const at = new Date(iso);
    if (Number.isNaN(at.getTime())) return "";
    const parts = Object.fromEntries(new Intl.DateTimeFormat("en-CA", {
      timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    }).formatToParts(at).map((p) => [p.type, p.value]));
    return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} (+08:00)`;
  }

  // The same mapping as the notifications page: API resources to the portal's pages.
  function portalLink(link) {
    if (!link) return null;
    let path = link;
    if (/^https?:/i.test(link)) { try { path = new URL(link).pathname; } catch { return null; } }
    const map = [
      ["/api/cases/applications/", "/applications/"],
      ["/api/cases/tasks/", "/workbench/tasks/"],
      ["/api/licenses/public/verify/", "/check/"],
      ["/api/licenses/", "/licences/"],
      ["/api/policyradar/policies/", "/policies/"],
    ];
    for (const [from, to] of map) if (path.startsWith(from)) return to + path.slice(from.length);
    return path.startsWith("/") && !path.startsWith("/api/") && !path.startsWith("//") ? path : null;
  }

  function init(root) {
    enhanceUploads(root);
    live(root);
  }

  init(document);
})();
