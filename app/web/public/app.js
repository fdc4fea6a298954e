// Lists and creates items through the api (`/api/items`, proxied by this server or routed by the
// Ingress). DOM text only, never HTML, so item names cannot inject markup.
/* global document, fetch */

const list = document.querySelector("#items");
const form = document.querySelector("#new-item");
const input = document.querySelector("#name");
const status = document.querySelector("#status");

function say(message, isError = false) {
  status.textContent = message;
  status.classList.toggle("error", isError);
}

function render(items) {
  list.replaceChildren(
    ...items.map((item) => {
      const li = document.createElement("li");
      const time = document.createElement("time");
      time.dateTime = item.createdAt;
      time.textContent = new Date(item.createdAt).toLocaleString();
      li.append(item.name, time);
      return li;
    }),
  );
  if (items.length === 0) say("No items yet.");
}

async function errorOf(response) {
  try {
    const body = await response.json();
    return body.error ?? `HTTP ${response.status}`;
  } catch {
    return `HTTP ${response.status}`;
  }
}

async function load() {
  try {
    const response = await fetch("/api/items");
    if (!response.ok) return say(`Could not load items: ${await errorOf(response)}`, true);
    render((await response.json()).items);
  } catch (err) {
    say(`Could not load items: ${err.message}`, true);
  }
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    const response = await fetch("/api/items", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: input.value }),
    });
    if (response.status !== 201) return say(`Not added: ${await errorOf(response)}`, true);
    const item = await response.json();
    input.value = "";
    say(`Added "${item.name}".`);
    await load();
  } catch (err) {
    say(`Not added: ${err.message}`, true);
  }
});

void load();
