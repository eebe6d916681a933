// French, the default language: one file per feature, composed here. The keys of
// `fr` define `MessageKey`; English must have exactly the same (see ../en/index.ts).
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

export const fr = {
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

export type MessageKey = keyof typeof fr;
export type Messages = Record<MessageKey, string>;
