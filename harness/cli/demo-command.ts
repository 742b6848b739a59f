export async function demoCommand(): Promise<number> { console.log("demo: todo"); return 0; }
