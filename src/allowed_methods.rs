//! Which methods each address takes, from the API contract (which is collected from the
//! route table, so the two cannot differ). A request whose address exists but not with
//! its method gets `405 Method Not Allowed` and an `Allow` header naming the methods it
//! takes, rather than a `404` that would say the address does not exist.

use actix_web::dev::ResourceDef;
use utoipa::openapi::OpenApi;
use utoipa::openapi::path::{Operation, PathItem};

#[derive(Debug, Default)]
pub struct AllowedMethods {
    /// Each path pattern, how many of its segments are parameters, and its methods.
    routes: Vec<(ResourceDef, usize, Vec<&'static str>)>,
}

impl AllowedMethods {
    pub fn from_document(api: &OpenApi) -> Self {
        let routes = api
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let methods = operations(item)
                    .flat_map(|(method, _)| match method {
                        // Answered as GET without the body (`head_requests`).
                        "GET" => vec!["GET", "HEAD"],
                        other => vec![other],
                    })
                    .collect();
                (ResourceDef::new(path.as_str()), path.matches('{').count(), methods)
            })
            .collect();
        Self { routes }
    }

    /// The methods `path` takes, as an `Allow` header value (`GET, POST`), or `None` when
    /// no route has that address. Where a fixed address and a pattern both match
    /// (`/jobs/waitlist` and `/jobs/{id}`), the fixed one is the route the request meets.
    pub fn allowed(&self, path: &str) -> Option<String> {
        let matching: Vec<_> = self.routes.iter().filter(|(def, _, _)| def.is_match(path)).collect();
        let fewest = matching.iter().map(|(_, params, _)| *params).min()?;
        let mut methods: Vec<&str> = matching
            .iter()
            .filter(|(_, params, _)| *params == fewest)
            .flat_map(|(_, _, methods)| methods.iter().copied())
            .collect();
        methods.sort_by_key(|m| {
            ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]
                .iter()
                .position(|k| k == m)
        });
        methods.dedup();
        Some(methods.join(", "))
    }
}

/// The operations at an address, each with its method.
pub fn operations(item: &PathItem) -> impl Iterator<Item = (&'static str, &Operation)> {
    let methods = [
        ("GET", &item.get),
        ("POST", &item.post),
        ("PUT", &item.put),
        ("PATCH", &item.patch),
        ("DELETE", &item.delete),
    ];
    methods
        .into_iter()
        .filter_map(|(method, operation)| Some((method, operation.as_ref()?)))
}

#[cfg(test)]
mod tests {
    use utoipa::openapi::path::{HttpMethod, OperationBuilder, PathItem};
    use utoipa::openapi::{OpenApiBuilder, PathsBuilder};

    use super::*;

    fn api(routes: &[(&str, &[HttpMethod])]) -> OpenApi {
        let mut paths = PathsBuilder::new();
        for (path, methods) in routes {
            for method in *methods {
                paths = paths.path(*path, PathItem::new(method.clone(), OperationBuilder::new().build()));
            }
        }
        OpenApiBuilder::new().paths(paths.build()).build()
    }

    #[test]
    fn an_address_lists_its_methods_and_an_unknown_one_none() {
        use HttpMethod::{Delete, Get, Patch, Post};
        let index = AllowedMethods::from_document(&api(&[
            ("/api/v1/jobs", &[Post, Get]),
            ("/api/v1/jobs/{id}", &[Get, Patch, Delete]),
            ("/api/v1/jobs/waitlist", &[Get]),
        ]));
        assert_eq!(index.allowed("/api/v1/jobs").as_deref(), Some("GET, HEAD, POST"));
        assert_eq!(
            index.allowed("/api/v1/jobs/12").as_deref(),
            Some("GET, HEAD, PATCH, DELETE")
        );
        assert_eq!(index.allowed("/api/v1/jobs/waitlist").as_deref(), Some("GET, HEAD"));
        assert_eq!(index.allowed("/api/v1/jobs/12/extra"), None);
        assert_eq!(index.allowed("/api/v1/nothing"), None);
    }
}
