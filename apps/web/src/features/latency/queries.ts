// GraphQL operations of the latency pages.
import { graphql } from '../../gql/index.js';

export const CreateLatencyProfile = graphql(`
  mutation CreateLatencyProfile($input: CreateLatencyProfileInput!) {
    createLatencyProfile(input: $input) {
      id
      name
    }
  }
`);
