/** A workspace's ledger head: the sequence number and hash of its newest entry. */
export interface LedgerHead {
  seq: number;
  hash: string;
}

/**
 * Makes the writes that allow an irreversible act durable before the act,
 * where the store acknowledges writes before they reach the disk (the
 * embedded engine). Where every acknowledged write is already durable
 * (DynamoDB) there is nothing to do and no implementation is wired.
 */
export interface Durability {
  /** Resolves once every store write acknowledged so far survives a power loss. */
  flush(): Promise<void>;
  /**
   * Records a workspace's ledger head outside the store, once its entries are
   * flushed: at boot, a store behind the recorded head has lost writes.
   */
  ledgerHead(workspaceId: string, head: LedgerHead): Promise<void>;
}
