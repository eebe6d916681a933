// English texts of the sign-in screen (and the supervisor's fields of the first start).
import type { signIn as fr } from "../fr/signIn";

export const signIn: Record<keyof typeof fr, string> = {
  "signIn.title": "Sign in to this desk",
  "signIn.hint": "Type your user name and PIN. Nothing of the queue shows before.",
  "signIn.name": "User name",
  "signIn.pin": "PIN",
  "signIn.password": "Password",
  "signIn.hintDatabase": "Type your shared database login and password. Nothing of the queue shows before.",
  "signIn.submit": "Sign in",
  "signIn.displayName": "Display name (e.g. Claire Martin)",
  "signIn.newPin": "PIN (6 to 12 digits)",
  "signIn.confirmPin": "The same PIN",
  "signIn.mismatch": "The two PINs differ.",
  "signIn.signOut": "Sign out",
  "signIn.signedInAsLabel": "Signed in:",
  "signIn.signedInAs": "Signed in: {name}",
};
