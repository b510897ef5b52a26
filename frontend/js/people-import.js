// @ts-check
// Importing people from a CSV file, in three steps on one dialog: choose the file (and its
// encoding), read the server's preview (every row with its problems), then import — all or
// nobody — and show the generated passwords once, to copy, download or print.

import { ApiError } from "./api.js";
import { h, replaceChildren, setText } from "./dom.js";
import { errorText, t, tn } from "./i18n.js";
import { peopleApi } from "./people-api.js";
import { copyText } from "./people-dialogs.js";

const ENCODINGS = ["auto", "utf-8", "cp1258"];
const EXAMPLE = "tên đăng nhập,họ và tên,chức vụ,đơn vị\nnvan,Nguyễn Văn An,Chủ tịch,UBND xã";

/** The words for a refused file (the error's `data.problem`) or a failed call. */
export function refusalText(error) {
  if (!(error instanceof ApiError)) return errorText("internal");
  if (error.code === "too-large") return t("import.file.too-large");
  const data = error.data ?? {};
  if (error.code === "invalid" && data.problem) {
    const columns = (data.columns ?? []).map((c) => t(`import.column.${c}`)).join(", ");
    return t(`import.file.${data.problem}`, { ...data, columns });
  }
  return error.message ? `${errorText(error.code)} (${error.message})` : errorText(error.code);
}

export function problemText(problem) {
  return t(`import.problem.${problem.code}`, { column: t(`import.column.${problem.column}`) });
}

function rowsTable(rows) {
  const head = h(
    "tr",
    {},
    [
      t("import.col.line"),
      t("people.field.username"),
      t("people.field.fullName"),
      t("people.field.title"),
      t("people.field.unit"),
      t("import.col.errors"),
    ].map((label) => h("th", { scope: "col" }, label)),
  );
  const body = rows.map((row) =>
    h(
      "tr",
      {
        class: row.errors.length ? "row-bad" : "row-ok",
        dataset: { testid: "import-row", line: String(row.line) },
      },
      h("td", { class: "num" }, String(row.line)),
      h("td", { class: "mono" }, row.username),
      h("td", {}, row.full_name),
      h("td", {}, row.title),
      h("td", {}, row.unit),
      h(
        "td",
        { class: "row-check" },
        row.errors.length
          ? h("ul", { class: "row-problems" }, row.errors.map((p) => h("li", {}, problemText(p))))
          : h("span", { class: "row-valid" }, t("import.rowOk")),
      ),
    ),
  );
  return h(
    "div",
    { class: "table-scroll", tabindex: "0", role: "region", "aria-label": t("import.title") },
    h("table", { class: "data-table import-table" }, h("thead", {}, head), h("tbody", {}, body)),
  );
}

function passwordsCsv(users) {
  const quote = (v) => `"${String(v).replaceAll('"', '""')}"`;
  const lines = [["username", "full_name", "password"].join(",")];
  for (const u of users) lines.push([u.username, u.display_name, u.password].map(quote).join(","));
  return `\ufeff${lines.join("\r\n")}\r\n`; // BOM: Excel then reads it as UTF-8
}

function passwordsTable(users) {
  return h(
    "div",
    { class: "table-scroll", tabindex: "0", role: "region", "aria-label": t("import.passwords") },
    h(
      "table",
      { class: "data-table passwords-table", dataset: { testid: "import-passwords" } },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          [t("people.field.username"), t("people.field.fullName"), t("people.password.password")].map(
            (label) => h("th", { scope: "col" }, label),
          ),
        ),
      ),
      h(
        "tbody",
        {},
        users.map((u) =>
          h(
            "tr",
            { dataset: { testid: "imported-person" } },
            h("td", { class: "mono" }, u.username),
            h("td", {}, u.display_name),
            h("td", { class: "mono password-cell" }, u.password),
          ),
        ),
      ),
    ),
  );
}

/** Resolves to the number of people imported (0 when nobody was). */
export function importDialog() {
  return new Promise((resolve) => {
    let imported = [];
    let file = null;
    const fileInput = h("input", {
      type: "file",
      accept: ".csv,text/csv",
      class: "file-input",
      id: "import-file",
      dataset: { testid: "import-file" },
    });
    const fileLabel = h("label", { class: "btn btn-secondary", for: "import-file" }, t("import.file"));
    const fileName = h("span", { class: "file-name" }, t("import.noFile"));
    const encoding = h(
      "select",
      { class: "select", id: "import-encoding", dataset: { testid: "import-encoding" } },
      ENCODINGS.map((e) => h("option", { value: e }, t(`import.encoding.${e}`))),
    );
    const status = h("p", { class: "import-status", role: "status" });
    const result = h("div", { class: "import-result" });
    const confirm = h("button", {
      type: "button",
      class: "btn btn-primary",
      disabled: true,
      dataset: { testid: "import-confirm" },
    });
    const close = h(
      "button",
      { type: "button", class: "btn btn-secondary", dataset: { testid: "import-close" } },
      t("people.close"),
    );
    const choose = h(
      "div",
      { class: "import-choose" },
      h("p", { class: "import-help" }, t("import.help")),
      h("p", { class: "import-example-label" }, t("import.example")),
      h("pre", { class: "import-example" }, EXAMPLE),
      h(
        "div",
        { class: "import-picker" },
        fileInput,
        fileLabel,
        fileName,
        h(
          "label",
          { class: "inline-label", for: "import-encoding" },
          t("import.encoding"),
        ),
        encoding,
      ),
    );
    const dialog = h(
      "dialog",
      {
        class: "dialog dialog-wide import-dialog",
        "aria-labelledby": "import-title",
        dataset: { testid: "import-dialog" },
      },
      h("h2", { class: "dialog-title", id: "import-title" }, t("import.title")),
      choose,
      status,
      result,
      h("div", { class: "dialog-actions" }, close, confirm),
    );

    function say(text, kind = "info") {
      setText(status, text);
      status.dataset.kind = kind;
    }

    async function preview() {
      if (!file) return;
      confirm.disabled = true;
      setText(confirm, "");
      confirm.hidden = true;
      result.replaceChildren();
      say(t("import.checking"));
      try {
        const answer = await peopleApi.previewImport(file, encoding.value);
        replaceChildren(result, rowsTable(answer.rows));
        if (answer.ok) {
          say(tn("import.summary.ok", answer.rows.length), "ok");
          setText(confirm, tn("import.confirm", answer.rows.length));
          confirm.hidden = false;
          confirm.disabled = false;
        } else {
          say(t("import.summary.bad", { rows: answer.rows.length, errors: answer.errors }), "error");
        }
      } catch (error) {
        say(refusalText(error), "error");
      }
    }

    async function importAll() {
      confirm.disabled = true;
      say(t("import.importing"));
      try {
        const answer = await peopleApi.importPeople(file, encoding.value);
        imported = answer.users;
        choose.hidden = true;
        confirm.hidden = true;
        say(tn("import.done", imported.length), "ok");
        const download = h(
          "a",
          {
            class: "btn btn-secondary",
            download: "mat-khau-ban-dau.csv",
            href: URL.createObjectURL(new Blob([passwordsCsv(imported)], { type: "text/csv" })),
            dataset: { testid: "import-download" },
          },
          t("import.download"),
        );
        const copyAll = h("button", {
          type: "button",
          class: "btn btn-secondary",
          dataset: { testid: "import-copy" },
          onclick: async () => {
            const text = imported
              .map((u) => [u.username, u.display_name, u.password].join("\t"))
              .join("\n");
            if (await copyText(text)) setText(copyAll, t("people.copied"));
          },
        });
        setText(copyAll, t("import.copyAll"));
        const print = h(
          "button",
          { type: "button", class: "btn btn-secondary", onclick: () => window.print() },
          t("import.print"),
        );
        replaceChildren(
          result,
          h("p", { class: "once-warning", role: "note" }, t("import.passwords")),
          h("div", { class: "import-tools" }, copyAll, download, print),
          passwordsTable(imported),
        );
        dialog.classList.add("printing-passwords");
      } catch (error) {
        if (error instanceof ApiError && error.code === "invalid" && error.data?.rows) {
          replaceChildren(result, rowsTable(error.data.rows));
          say(
            t("import.summary.bad", { rows: error.data.rows.length, errors: error.data.errors }),
            "error",
          );
        } else {
          say(refusalText(error), "error");
          confirm.disabled = false;
        }
      }
    }

    fileInput.addEventListener("change", () => {
      file = fileInput.files?.[0] ?? null;
      setText(fileName, file ? file.name : t("import.noFile"));
      preview();
    });
    encoding.addEventListener("change", () => preview());
    confirm.addEventListener("click", () => importAll());
    close.addEventListener("click", () => dialog.close());
    dialog.addEventListener("close", () => {
      dialog.remove();
      resolve(imported.length);
    });
    confirm.hidden = true;
    document.body.append(dialog);
    dialog.showModal();
    fileInput.focus();
  });
}
