import { mount } from "svelte";
import "./app.css";
import App from "./App.svelte";
import HolderView from "./lib/photo/HolderView.svelte";
import { currentWindowLabel, HOLDER_WINDOW } from "./lib/ipc";
import { i18n } from "./lib/i18n/index.svelte";

document.documentElement.lang = i18n.locale;

const target = document.getElementById("app");
if (!target) throw new Error("index.html lost its #app element");

// The holder's view (second monitor) loads the same page in its own window.
const root = currentWindowLabel() === HOLDER_WINDOW ? HolderView : App;

export default mount(root, { target });
