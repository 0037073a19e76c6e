// The local rehearsal is built in issue #10. Until then it says so instead of pretending.
console.error('npm run rehearse: the local rehearsal is not implemented yet.');
process.exit(1);
