"""The input contract the build and web entry share: the uniform templates (datasets), their
parsing and rules, and the template workbooks."""
