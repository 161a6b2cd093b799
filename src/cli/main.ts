import { createAddSecretRequest } from '../node.js';
void createAddSecretRequest;
console.error('se-secrets: CLI under construction');
process.exit(1);
