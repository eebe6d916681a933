// The office's name as the top bar shows it: read once someone signed in, updated
// when a supervisor renames the office in Settings › General.
export const office = $state({ name: "" });
