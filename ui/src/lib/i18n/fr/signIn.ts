// French texts of the sign-in screen (and the supervisor's fields of the first start).
// English has the same keys in ../en/signIn.ts (its type is derived from this file).
export const signIn = {
  "signIn.title": "Connexion au poste",
  "signIn.hint": "Saisissez votre identifiant et votre code PIN. Rien de la file n’est affiché avant.",
  "signIn.name": "Identifiant",
  "signIn.pin": "Code PIN",
  "signIn.password": "Mot de passe",
  "signIn.hintDatabase": "Saisissez votre identifiant et votre mot de passe de la base de données partagée. Rien de la file n’est affiché avant.",
  "signIn.submit": "Se connecter",
  "signIn.displayName": "Nom affiché (ex. Claire Martin)",
  "signIn.newPin": "Code PIN (6 à 12 chiffres)",
  "signIn.confirmPin": "Le même code PIN",
  "signIn.mismatch": "Les deux codes PIN diffèrent.",
  "signIn.signOut": "Se déconnecter",
  "signIn.signedInAsLabel": "Connecté :",
  "signIn.signedInAs": "Connecté : {name}",
};
