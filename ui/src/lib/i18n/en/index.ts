// English: the same files as ../fr/, each typed by its French twin, so a key
// missing or extra in any of them fails svelte-check.
import type { Messages } from "../fr/index";
import { app } from "./app";
import { queue } from "./queue";
import { intake } from "./intake";
import { request } from "./request";
import { photo } from "./photo";
import { print } from "./print";
import { badges } from "./badges";
import { settings } from "./settings";
import { accessExport } from "./accessExport";
import { directory } from "./directory";
import { designer } from "./designer";
import { security } from "./security";
import { signIn } from "./signIn";
import { setup } from "./setup";
import { dates } from "./dates";
import { errors } from "./errors";

export const en: Messages = {
  ...app,
  ...queue,
  ...intake,
  ...request,
  ...photo,
  ...print,
  ...badges,
  ...settings,
  ...accessExport,
  ...directory,
  ...designer,
  ...security,
  ...signIn,
  ...setup,
  ...dates,
  ...errors,
};
