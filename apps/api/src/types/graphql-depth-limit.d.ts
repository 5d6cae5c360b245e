// Types of graphql-depth-limit 1.1, which ships none. @types/graphql-depth-limit is not used
// because it depends on graphql 14, which would install a second copy of graphql.
declare module 'graphql-depth-limit' {
  import type { ASTVisitor, ValidationContext } from 'graphql';

  export interface DepthLimitOptions {
    /** Field names (or patterns, or predicates) whose subtrees are not counted. */
    ignore?: (string | RegExp | ((queryDepths: Record<string, number>) => boolean))[];
  }

  export default function depthLimit(
    maxDepth: number,
    options?: DepthLimitOptions,
    callback?: (queryDepths: Record<string, number>) => void,
  ): (context: ValidationContext) => ASTVisitor;
}
