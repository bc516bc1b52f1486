use super::handlers as h;
use crate::http::{Access, Api};

pub fn routes(api: &mut Api) {
    api.add::<h::__path_healthz, _, _>(Access::Public, h::healthz)
        .add::<h::__path_metrics, _, _>(Access::Public, h::metrics)
        .add::<h::__path_system_info, _, _>(Access::Public, h::system_info)
        .add::<h::__path_openapi_json, _, _>(Access::Public, h::openapi_json)
        .add::<h::__path_docs_page, _, _>(Access::Public, h::docs_page);
}
