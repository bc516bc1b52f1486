use mes_api_types::auth::Role;

use super::handlers as h;
use crate::http::{Access, Api};

/// Everyone signed in reads product data (stations show routings and work instructions).
const READ: Access = Access::Authenticated;
/// Who maintains products, BOMs and routings.
const WRITE: Access = Access::Roles(&[Role::Admin, Role::Manager, Role::Planner]);

pub fn routes(api: &mut Api) {
    api.add::<h::__path_list_products, _, _>(READ, h::list_products)
        .add::<h::__path_create_product, _, _>(WRITE, h::create_product)
        .add::<h::__path_get_product, _, _>(READ, h::get_product)
        .add::<h::__path_get_product_by_code, _, _>(READ, h::get_product_by_code)
        .add::<h::__path_update_product, _, _>(WRITE, h::update_product)
        .add::<h::__path_delete_product, _, _>(WRITE, h::delete_product)
        .add::<h::__path_bom_tree, _, _>(READ, h::bom_tree)
        .add::<h::__path_list_boms, _, _>(READ, h::list_boms)
        .add::<h::__path_create_bom, _, _>(WRITE, h::create_bom)
        .add::<h::__path_get_bom, _, _>(READ, h::get_bom)
        .add::<h::__path_update_bom, _, _>(WRITE, h::update_bom)
        .add::<h::__path_delete_bom, _, _>(WRITE, h::delete_bom)
        .add::<h::__path_activate_bom, _, _>(WRITE, h::activate_bom)
        .add::<h::__path_copy_bom, _, _>(WRITE, h::copy_bom)
        .add::<h::__path_list_routings, _, _>(READ, h::list_routings)
        .add::<h::__path_create_routing, _, _>(WRITE, h::create_routing)
        .add::<h::__path_get_routing, _, _>(READ, h::get_routing)
        .add::<h::__path_update_routing, _, _>(WRITE, h::update_routing)
        .add::<h::__path_delete_routing, _, _>(WRITE, h::delete_routing)
        .add::<h::__path_activate_routing, _, _>(WRITE, h::activate_routing)
        .add::<h::__path_copy_routing, _, _>(WRITE, h::copy_routing)
        .add::<h::__path_upload_attachment, _, _>(WRITE, h::upload_attachment)
        .add::<h::__path_get_attachment, _, _>(READ, h::get_attachment)
        .add::<h::__path_delete_attachment, _, _>(WRITE, h::delete_attachment);
}
