// tradelab CLI entry point (filled in below as commands land).
export {};
