// CONTRACT STUB: the CLI work replaces this file.
return 0;
