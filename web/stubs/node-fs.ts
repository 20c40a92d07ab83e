// Browser stand-in for node:fs. The playground reads models and rules from
// strings; reaching one of these means a file reader was called by mistake.
function unavailable(name: string): never {
  throw new Error(`${name} is not available in the browser`);
}
export const existsSync = (): boolean => false;
export const readdirSync = (): never => unavailable('fs.readdirSync');
export const readFileSync = (): never => unavailable('fs.readFileSync');
export const statSync = (): never => unavailable('fs.statSync');
export const writeFileSync = (): never => unavailable('fs.writeFileSync');
export const mkdirSync = (): never => unavailable('fs.mkdirSync');
export const renameSync = (): never => unavailable('fs.renameSync');
export default { existsSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync, renameSync };
